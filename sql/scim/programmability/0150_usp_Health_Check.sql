-- Readiness: answers one row only when every table the store reads and writes answers for this
-- login (through the procedures' ownership chain, as every other call does). A missing table or
-- a revoked right fails the call, and the probe reports not ready. OBJECT_ID on a dbo table
-- would be NULL for a least-privilege login even on a healthy archive.
CREATE OR ALTER PROCEDURE scim.usp_Health_Check
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Probe int;

    BEGIN TRY
        SELECT TOP (1) @Probe = c.CustomerId FROM dbo.Customer AS c;
        SELECT TOP (1) @Probe = a.AccountId FROM dbo.ArchiveAccount AS a;
        SELECT TOP (1) @Probe = ar.ArchiveId FROM dbo.Archive AS ar;
        SELECT TOP (1) @Probe = al.AliasId FROM dbo.ArchiveAccountAlias AS al;
        SELECT TOP (1) @Probe = m.AccountId FROM scim.UserMap AS m;
        SELECT TOP (1) @Probe = tn.TenantId FROM scim.Tenant AS tn;
        SELECT TOP (1) @Probe = t.TokenId FROM scim.TenantToken AS t;
        SELECT TOP (1) @Probe = l.CustomerId FROM scim.AuditLog AS l;

        SELECT CAST(1 AS bit) AS Ready;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
