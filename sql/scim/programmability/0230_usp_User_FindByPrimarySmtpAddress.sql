-- Finds the live accounts with this primary SMTP address (case-insensitive by the column's
-- collation). Legacy data does not make the primary address unique, so this returns every match.
CREATE OR ALTER PROCEDURE scim.usp_User_FindByPrimarySmtpAddress
    @CustomerId   int,
    @SmtpAddress  nvarchar(320)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        SELECT
            v.VaultEntryId, v.CustomerId, v.UserName, v.PrimarySmtpAddress, v.FirstName, v.LastName,
            v.DisplayName, v.AccountStatus, v.ProvisioningSource, v.ExternalId, v.ScimAttributesJson,
            v.HasUserMap, v.Version, v.CreatedUtc, v.ModifiedUtc, v.AliasesJson
        FROM scim.vw_ScimUser AS v
        WHERE v.CustomerId = @CustomerId
          AND v.PrimarySmtpAddress = @SmtpAddress
        ORDER BY v.VaultEntryId;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
