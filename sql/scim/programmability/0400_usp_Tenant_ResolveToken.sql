-- The live (not revoked) token with this SHA-256 hash, with its tenant and customer; none when
-- there is no such token. Reads first and records the use only when the recorded time is more
-- than a minute old, so that a tenant's steady request rate reads without writing and without
-- opening a transaction; the one UPDATE is its own atomic statement. Not audited: it changes
-- nothing but the use time.
CREATE OR ALTER PROCEDURE scim.usp_Tenant_ResolveToken
    @TokenHash  binary(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @StaleBefore datetime2(3) = DATEADD(SECOND, -60, SYSUTCDATETIME());
    DECLARE @TenantId int;
    DECLARE @TenantKey nvarchar(64);
    DECLARE @CustomerId int;
    DECLARE @TokenId int;
    DECLARE @LastUsedUtc datetime2(3);

    BEGIN TRY
        SELECT
            @TenantId = tn.TenantId,
            @TenantKey = tn.TenantKey,
            @CustomerId = tn.CustomerId,
            @TokenId = t.TokenId,
            @LastUsedUtc = t.LastUsedUtc
        FROM scim.TenantToken AS t
        JOIN scim.Tenant AS tn
            ON tn.TenantId = t.TenantId
        WHERE t.TokenHash = @TokenHash
          AND t.RevokedUtc IS NULL;

        IF @TokenId IS NOT NULL AND (@LastUsedUtc IS NULL OR @LastUsedUtc < @StaleBefore)
            UPDATE t
            SET t.LastUsedUtc = @Now
            FROM scim.TenantToken AS t
            WHERE t.TokenId = @TokenId
              AND (t.LastUsedUtc IS NULL OR t.LastUsedUtc < @StaleBefore);

        SELECT @TenantId AS TenantId, @TenantKey AS TenantKey, @CustomerId AS CustomerId, @TokenId AS TokenId
        WHERE @TokenId IS NOT NULL;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
