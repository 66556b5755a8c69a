-- Adds a live token (by its SHA-256 hash) to a tenant; a tenant may hold several live tokens so
-- that a secret can be rotated without downtime. Returns the new token.
-- Errors: 50005 tenant not found, 50007 a token with this hash exists already,
--         50008 the tenant write lock was not granted.
CREATE OR ALTER PROCEDURE scim.usp_Token_Add
    @TenantKey  nvarchar(64),
    @TokenHash  binary(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @LockResult int;
    DECLARE @Writing nvarchar(16);
    DECLARE @TenantId int;
    DECLARE @CustomerId int;
    DECLARE @TokenId int;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = N'scim/tenants', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The tenant write lock was not granted.', 1;

        SELECT @TenantId = tn.TenantId, @CustomerId = tn.CustomerId
        FROM scim.Tenant AS tn
        WHERE tn.TenantKey = @TenantKey;

        IF @TenantId IS NULL
            THROW 50005, N'The tenant does not exist.', 1;

        IF EXISTS (SELECT 1 FROM scim.TenantToken AS t WITH (UPDLOCK, FORCESEEK) WHERE t.TokenHash = @TokenHash)
            THROW 50007, N'A token with this hash exists already.', 1;

        SET @Writing = N'token';
        INSERT INTO scim.TenantToken (TenantId, TokenHash, CreatedUtc, LastUsedUtc, RevokedUtc)
        VALUES (@TenantId, @TokenHash, @Now, NULL, NULL);
        SET @TokenId = SCOPE_IDENTITY();

        SET @Writing = NULL;
        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'AddToken', NULL, 'Succeeded', NULL, @Now);

        SELECT t.TokenId, tn.TenantKey, t.CreatedUtc, t.LastUsedUtc, t.RevokedUtc
        FROM scim.TenantToken AS t
        JOIN scim.Tenant AS tn
            ON tn.TenantId = t.TenantId
        WHERE t.TokenId = @TokenId
          AND tn.CustomerId = @CustomerId;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'token'
            THROW 50007, N'A token with this hash exists already.', 1;

        THROW;
    END CATCH;
END;
GO
