-- Revokes a token of a tenant at once; revoking a revoked token keeps its first revocation time.
-- Errors: 50005 tenant or token not found, 50008 the tenant write lock was not granted.
CREATE OR ALTER PROCEDURE scim.usp_Token_Revoke
    @TenantKey  nvarchar(64),
    @TokenId    int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @LockResult int;
    DECLARE @TenantId int;
    DECLARE @CustomerId int;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = N'scim/tenants', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The tenant write lock was not granted.', 1;

        SELECT @TenantId = tn.TenantId, @CustomerId = tn.CustomerId
        FROM scim.Tenant AS tn
        JOIN scim.TenantToken AS t WITH (UPDLOCK, FORCESEEK)
            ON t.TenantId = tn.TenantId
        WHERE tn.TenantKey = @TenantKey
          AND t.TokenId = @TokenId;

        IF @TenantId IS NULL
            THROW 50005, N'The tenant or the token does not exist.', 1;

        UPDATE t
        SET t.RevokedUtc = COALESCE(t.RevokedUtc, @Now)
        FROM scim.TenantToken AS t
        WHERE t.TokenId = @TokenId
          AND t.TenantId = @TenantId;

        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'RevokeToken', NULL, 'Succeeded', NULL, @Now);

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
