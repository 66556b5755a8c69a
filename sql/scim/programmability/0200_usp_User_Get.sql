-- Reads a live account by its VaultEntryId (the SCIM id). One row or none.
CREATE OR ALTER PROCEDURE scim.usp_User_Get
    @CustomerId    int,
    @VaultEntryId  nvarchar(64)
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
          AND v.VaultEntryId = @VaultEntryId
          -- id is caseExact (RFC 7643 §3.1): the seek above uses the column's case-insensitive
          -- collation, this residual check refuses another letter case, and the lengths refuse
          -- trailing spaces (= pads the shorter operand with spaces, even under a binary collation).
          AND v.VaultEntryId = @VaultEntryId COLLATE Latin1_General_100_BIN2
          AND DATALENGTH(v.VaultEntryId) = DATALENGTH(@VaultEntryId);
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
