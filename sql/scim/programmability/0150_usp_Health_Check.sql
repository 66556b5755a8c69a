-- Readiness: answers one row (Ready) only when every table the store reads and writes answers for this
-- login (through the procedures' ownership chain, as every other call does). A missing table or
-- a revoked right fails the call, and the probe reports not ready. OBJECT_ID on a dbo table
-- would be NULL for a least-privilege login even on a healthy archive.
-- It also checks the caller's session SET options that every write to a table with a filtered
-- index needs at run time (ANSI_NULLS and QUOTED_IDENTIFIER are the procedures' own, fixed when
-- they were created, and checked by the deployer): Microsoft.Data.SqlClient sets them right, and
-- ARITHABORT follows ANSI_WARNINGS at compatibility level 90 and above, but a server's "user
-- options" or a login trigger can change them, and then every write fails with Msg 1934.
CREATE OR ALTER PROCEDURE scim.usp_Health_Check
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Probe int;
    DECLARE @WrongOptions nvarchar(200) = NULLIF(CONCAT(
        CASE WHEN SESSIONPROPERTY('ANSI_WARNINGS') = 0 THEN N' ANSI_WARNINGS OFF' END,
        CASE WHEN SESSIONPROPERTY('ANSI_PADDING') = 0 THEN N' ANSI_PADDING OFF' END,
        CASE WHEN SESSIONPROPERTY('CONCAT_NULL_YIELDS_NULL') = 0 THEN N' CONCAT_NULL_YIELDS_NULL OFF' END,
        CASE WHEN SESSIONPROPERTY('NUMERIC_ROUNDABORT') = 1 THEN N' NUMERIC_ROUNDABORT ON' END), N'');

    BEGIN TRY
        SELECT TOP (1) @Probe = c.CustomerId FROM dbo.Customer AS c;
        SELECT TOP (1) @Probe = a.AccountId FROM dbo.ArchiveAccount AS a;
        SELECT TOP (1) @Probe = ar.ArchiveId FROM dbo.Archive AS ar;
        SELECT TOP (1) @Probe = al.AliasId FROM dbo.ArchiveAccountAlias AS al;
        SELECT TOP (1) @Probe = m.AccountId FROM scim.UserMap AS m;
        SELECT TOP (1) @Probe = tn.TenantId FROM scim.Tenant AS tn;
        SELECT TOP (1) @Probe = t.TokenId FROM scim.TenantToken AS t;
        SELECT TOP (1) @Probe = l.CustomerId FROM scim.AuditLog AS l;

        SELECT
            CAST(CASE WHEN @WrongOptions IS NULL THEN 1 ELSE 0 END AS bit) AS Ready,
            CASE WHEN @WrongOptions IS NOT NULL
                 THEN CONCAT(N'The session''s SET options make writes to the filtered unique indexes fail (Msg 1934):', @WrongOptions, N'.')
            END AS NotReadyBecause;
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
