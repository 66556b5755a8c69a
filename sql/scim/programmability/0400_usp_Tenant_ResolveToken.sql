-- The live (not revoked) token with this SHA-256 hash, with its tenant and customer; none when
-- there is no such token. Records the use: LastUsedUtc is written at most once a minute per
-- token, so that a tenant's steady request rate does not turn every authentication into a write
-- on one hot row. Not audited: it changes nothing but the use time.
CREATE OR ALTER PROCEDURE scim.usp_Tenant_ResolveToken
    @TokenHash  binary(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();

    BEGIN TRY
        BEGIN TRANSACTION;

        UPDATE t
        SET t.LastUsedUtc = @Now
        FROM scim.TenantToken AS t
        WHERE t.TokenHash = @TokenHash
          AND t.RevokedUtc IS NULL
          AND (t.LastUsedUtc IS NULL OR t.LastUsedUtc < DATEADD(SECOND, -60, @Now));

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT tn.TenantId, tn.TenantKey, tn.CustomerId, t.TokenId
    FROM scim.TenantToken AS t
    JOIN scim.Tenant AS tn
        ON tn.TenantId = t.TenantId
    WHERE t.TokenHash = @TokenHash
      AND t.RevokedUtc IS NULL;
END;
GO
