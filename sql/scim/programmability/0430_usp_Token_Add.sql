-- Adds a live token (by its SHA-256 hash) to a tenant; a tenant may hold several live tokens so
-- that a secret can be rotated without downtime. Returns the new token.
-- Errors: 50005 tenant not found.
CREATE OR ALTER PROCEDURE scim.usp_Token_Add
    @TenantKey  nvarchar(64),
    @TokenHash  binary(32)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @TenantId int;
    DECLARE @CustomerId int;
    DECLARE @TokenId int;

    BEGIN TRY
        BEGIN TRANSACTION;

        SELECT @TenantId = tn.TenantId, @CustomerId = tn.CustomerId
        FROM scim.Tenant AS tn
        WHERE tn.TenantKey = @TenantKey;

        IF @TenantId IS NULL
            THROW 50005, N'The tenant does not exist.', 1;

        INSERT INTO scim.TenantToken (TenantId, TokenHash, CreatedUtc, LastUsedUtc, RevokedUtc)
        VALUES (@TenantId, @TokenHash, @Now, NULL, NULL);
        SET @TokenId = SCOPE_IDENTITY();

        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'AddToken', NULL, 'Succeeded', NULL, @Now);

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;

    SELECT t.TokenId, tn.TenantKey, t.CreatedUtc, t.LastUsedUtc, t.RevokedUtc
    FROM scim.TenantToken AS t
    JOIN scim.Tenant AS tn
        ON tn.TenantId = t.TenantId
    WHERE t.TokenId = @TokenId
      AND tn.CustomerId = @CustomerId;
END;
GO
