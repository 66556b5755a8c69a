-- Soft delete: status 2 (deleted), login locked, journaling off, live aliases released, archive
-- kept, audit row appended; one transaction. @ExpectedVersion null deletes whatever the version.
-- Errors: 50001 not found (or already deleted), 50004 version mismatch,
--         50008 the customer's write lock was not granted.
-- Concurrency: the customer's application lock first (see scim.usp_User_Create).
CREATE OR ALTER PROCEDURE scim.usp_User_Delete
    @CustomerId       int,
    @VaultEntryId     nvarchar(64),
    @ExpectedVersion  bigint,
    @TenantKey        nvarchar(64),
    @CorrelationId    nvarchar(128)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @AccountId int;
    DECLARE @CurrentVersion bigint;
    DECLARE @LockResult int;
    DECLARE @LockResource nvarchar(255) = CONCAT(N'scim/customer/', @CustomerId);

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = @LockResource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The customer''s write lock was not granted.', 1;

        SELECT
            @AccountId = a.AccountId,
            @CurrentVersion = CAST(a.RowVer AS bigint)
        FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, FORCESEEK)
        WHERE a.CustomerId = @CustomerId
          AND a.VaultEntryId = @VaultEntryId
          -- id is caseExact (RFC 7643 §3.1): the seek above uses the column's case-insensitive
          -- collation, this residual check refuses another letter case, and the lengths refuse
          -- trailing spaces (= pads the shorter operand with spaces, even under a binary collation).
          AND a.VaultEntryId = @VaultEntryId COLLATE Latin1_General_100_BIN2
          AND DATALENGTH(a.VaultEntryId) = DATALENGTH(@VaultEntryId)
          AND a.AccountStatus <> 2;

        IF @AccountId IS NULL
            THROW 50001, N'The account does not exist.', 1;

        IF @ExpectedVersion IS NOT NULL AND @CurrentVersion <> @ExpectedVersion
            THROW 50004, N'The account has changed since it was read.', 1;

        UPDATE a
        SET a.AccountStatus = 2,
            a.LoginLocked = 1,
            a.ArchivingEnabled = 0,
            a.ModifiedUtc = @Now
        FROM dbo.ArchiveAccount AS a
        WHERE a.AccountId = @AccountId
          AND a.CustomerId = @CustomerId;

        UPDATE al
        SET al.RemovedUtc = @Now
        FROM dbo.ArchiveAccountAlias AS al
        WHERE al.AccountId = @AccountId
          AND al.RemovedUtc IS NULL;

        UPDATE m
        SET m.ModifiedUtc = @Now
        FROM scim.UserMap AS m
        WHERE m.AccountId = @AccountId
          AND m.CustomerId = @CustomerId;

        -- The name the account was deleted under: how the leaver's history is found later.
        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, UserName, Outcome, CorrelationId, OccurredUtc)
        SELECT @TenantKey, @CustomerId, 'DeleteUser', @VaultEntryId, a.UserName, 'Succeeded', @CorrelationId, @Now
        FROM dbo.ArchiveAccount AS a
        WHERE a.AccountId = @AccountId;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
