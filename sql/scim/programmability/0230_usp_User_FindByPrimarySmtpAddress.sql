-- Finds the live accounts with this work e-mail address: as primary SMTP address (case-insensitive
-- by the column's collation; legacy data does not make it unique, so every match), or among the
-- user map's other work addresses (stored ASCII lower-cased and compared with the lowered ASCII
-- address, so the comparison holds under any collation OPENJSON's values take). The filtered
-- index IX_UserMap_Customer_OtherWorkEmails lists only the few accounts that have others.
-- The name predates the other work addresses; the store calls it as its work-address lookup.
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
        UNION
        SELECT
            v.VaultEntryId, v.CustomerId, v.UserName, v.PrimarySmtpAddress, v.FirstName, v.LastName,
            v.DisplayName, v.AccountStatus, v.ProvisioningSource, v.ExternalId, v.ScimAttributesJson,
            v.HasUserMap, v.Version, v.CreatedUtc, v.ModifiedUtc, v.AliasesJson
        FROM scim.UserMap AS m
        JOIN scim.vw_ScimUser AS v ON v.AccountId = m.AccountId
        WHERE m.CustomerId = @CustomerId
          AND m.OtherWorkEmails IS NOT NULL
          AND v.CustomerId = @CustomerId
          AND EXISTS (SELECT 1 FROM OPENJSON(m.OtherWorkEmails) AS w WHERE w.[value] = LOWER(@SmtpAddress))
        ORDER BY VaultEntryId;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
