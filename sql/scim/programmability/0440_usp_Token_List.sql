-- The tokens of a tenant, live and revoked, oldest first; none for an unknown tenant.
CREATE OR ALTER PROCEDURE scim.usp_Token_List
    @TenantKey  nvarchar(64)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        SELECT t.TokenId, tn.TenantKey, t.CreatedUtc, t.LastUsedUtc, t.RevokedUtc
        FROM scim.TenantToken AS t
        JOIN scim.Tenant AS tn
            ON tn.TenantId = t.TenantId
        WHERE tn.TenantKey = @TenantKey
        ORDER BY t.TokenId;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
