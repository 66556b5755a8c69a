-- Finds the live account whose SCIM externalId is exactly this value. externalId is case-exact
-- in SCIM: the index seek uses the column's collation and the binary comparison keeps only the
-- exact match (the lengths too: = ignores trailing spaces under any collation). One row or none (the oldest when a client reused an externalId).
CREATE OR ALTER PROCEDURE scim.usp_User_FindByExternalId
    @CustomerId  int,
    @ExternalId  nvarchar(256)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        SELECT TOP (1)
            v.VaultEntryId, v.CustomerId, v.UserName, v.PrimarySmtpAddress, v.FirstName, v.LastName,
            v.DisplayName, v.AccountStatus, v.ProvisioningSource, v.ExternalId, v.ScimAttributesJson,
            v.HasUserMap, v.Version, v.CreatedUtc, v.ModifiedUtc, v.AliasesJson
        FROM scim.vw_ScimUser AS v
        WHERE v.CustomerId = @CustomerId
          AND v.ExternalId = @ExternalId
          AND v.ExternalId = @ExternalId COLLATE Latin1_General_100_BIN2
          AND DATALENGTH(v.ExternalId) = DATALENGTH(@ExternalId)
        ORDER BY v.AccountId;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
