-- Finds the live account with this user name. The column's case-insensitive collation does the
-- matching; the filtered unique index (CustomerId, UserName) makes it a seek. One row or none.
CREATE OR ALTER PROCEDURE scim.usp_User_FindByUserName
    @CustomerId  int,
    @UserName    nvarchar(256)
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
          AND v.UserName = @UserName;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
