-- Deletes at most @BatchSize audit rows older than @Cutoff and returns how many went. Each call
-- is its own short transaction on the oldest rows, far from the pages writers append to, so a
-- prune never holds up a write; the caller repeats it until fewer than @BatchSize go.
CREATE OR ALTER PROCEDURE scim.usp_Audit_Prune
    @Cutoff     datetime2(3),
    @BatchSize  int
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @Deleted int;
    BEGIN TRY
        BEGIN TRANSACTION;
        DELETE TOP (@BatchSize) FROM scim.AuditLog
        WHERE OccurredUtc < @Cutoff;
        SET @Deleted = @@ROWCOUNT;

        SELECT @Deleted AS Deleted;
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
