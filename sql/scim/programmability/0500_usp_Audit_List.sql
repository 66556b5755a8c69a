-- One page of a tenant's audit rows, newest first. @Before is the continuation (the last AuditId
-- of the previous page); one row more than @Limit is returned so the caller knows a next page exists.
-- @ScimId and @UserName (the name when the row was written) each select one account's rows; given
-- both, rows matching either. @UserName defaults so a gateway of the previous release still calls.
CREATE OR ALTER PROCEDURE scim.usp_Audit_List
    @TenantKey  nvarchar(64),
    @ScimId     nvarchar(64),
    @Since      datetime2(3),
    @Operation  nvarchar(32),
    @Before     bigint,
    @Take       int,
    @UserName   nvarchar(256) = NULL
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        SELECT TOP (@Take) a.AuditId, a.TenantKey, a.OccurredUtc, a.Operation, a.ScimId, a.Outcome, a.CorrelationId, a.UserName
        FROM scim.AuditLog AS a
        WHERE a.TenantKey = @TenantKey
          AND (@Before IS NULL OR a.AuditId < @Before)
          AND ((@ScimId IS NULL AND @UserName IS NULL) OR a.ScimId = @ScimId OR a.UserName = @UserName)
          AND (@Since IS NULL OR a.OccurredUtc >= @Since)
          AND (@Operation IS NULL OR a.Operation = @Operation)
        ORDER BY a.AuditId DESC
        OPTION (RECOMPILE);
    END TRY
    BEGIN CATCH
        THROW;
    END CATCH;
END;
GO
