-- Deletes at most @BatchSize audit rows older than @Cutoff and returns how many went. Each call
-- is its own short transaction on the oldest rows, far from the pages writers append to, so a
-- prune never holds up an account write; the caller repeats it until fewer than @BatchSize go.
-- It takes the tenant write lock (not a customer's): it spans customers, and only tenant and
-- token writes, which are rare, wait for one batch.
-- Errors: 50008 the tenant write lock was not granted.
CREATE OR ALTER PROCEDURE scim.usp_Audit_Prune
    @Cutoff     datetime2(3),
    @BatchSize  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @LockResult int;
    DECLARE @Deleted int;

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = N'scim/tenants', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The tenant write lock was not granted.', 1;

        DELETE TOP (@BatchSize) FROM scim.AuditLog
        WHERE OccurredUtc < @Cutoff;
        SET @Deleted = @@ROWCOUNT;

        SELECT @Deleted AS Deleted;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
