-- Writes the whole new state of a live account if it is still at @ExpectedVersion (its rowversion
-- as bigint): the account columns, the user map (created on the first SCIM write: adoption of a
-- pre-existing account), the aliases (new ones added, missing ones released by setting
-- RemovedUtc; re-adding a released address inserts a new live row) and the audit row, in one
-- transaction; returns the account as read inside that transaction.
-- Errors: 50001 not found, 50004 version mismatch, 50002 user name taken,
--         50003 alias live on another account (message names it),
--         50008 the customer's write lock was not granted.
-- Concurrency: the customer's application lock first (see scim.usp_User_Create), then the
-- account row, the user name, the aliases: the one order of every write of a customer.
CREATE OR ALTER PROCEDURE scim.usp_User_Update
    @CustomerId          int,
    @VaultEntryId        nvarchar(64),
    @ExpectedVersion     bigint,
    @UserName            nvarchar(256),
    @PrimarySmtpAddress  nvarchar(320),
    @FirstName           nvarchar(128),
    @LastName            nvarchar(128),
    @DisplayName         nvarchar(256),
    @Enabled             bit,
    @ExternalId          nvarchar(256),
    @ScimAttributesJson  nvarchar(max),
    @Aliases             scim.AliasList_v2 READONLY,
    @TenantKey           nvarchar(64),
    @CorrelationId       nvarchar(128),
    -- The work addresses besides @PrimarySmtpAddress (JSON array, ASCII lower-cased), or NULL.
    -- Last and optional, so that a gateway of the previous release can still call during a deployment.
    @OtherWorkEmails     nvarchar(4000) = NULL
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @AccountId int;
    DECLARE @CurrentVersion bigint;
    DECLARE @CurrentStatus tinyint;
    DECLARE @NewStatus tinyint = CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END;
    DECLARE @Adopted bit = 0;
    DECLARE @LockResult int;
    DECLARE @LockResource nvarchar(255) = CONCAT(N'scim/customer/', @CustomerId);
    DECLARE @Writing nvarchar(16);
    DECLARE @TakenAddress nvarchar(320);
    DECLARE @Message nvarchar(2048);
    DECLARE @Wanted TABLE (SmtpAddress nvarchar(320) NOT NULL, Ordinal int NOT NULL);

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = @LockResource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The customer''s write lock was not granted.', 1;

        INSERT INTO @Wanted (SmtpAddress, Ordinal)
        SELECT d.SmtpAddress, d.Ordinal
        FROM (
            SELECT l.SmtpAddress, l.Ordinal, ROW_NUMBER() OVER (PARTITION BY l.SmtpAddress ORDER BY l.Ordinal) AS Occurrence
            FROM @Aliases AS l) AS d
        WHERE d.Occurrence = 1;

        SELECT
            @AccountId = a.AccountId,
            @CurrentVersion = CAST(a.RowVer AS bigint),
            @CurrentStatus = a.AccountStatus
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

        -- A NULL version would make <> unknown and skip the check: no version is no match.
        IF @ExpectedVersion IS NULL OR @CurrentVersion <> @ExpectedVersion
            THROW 50004, N'The account has changed since it was read.', 1;

        IF EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, FORCESEEK)
            WHERE a.CustomerId = @CustomerId
              AND a.UserName = @UserName
              AND a.AccountStatus <> 2
              AND a.AccountId <> @AccountId)
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        SELECT TOP (1) @TakenAddress = w.SmtpAddress
        FROM @Wanted AS w
        JOIN dbo.ArchiveAccountAlias AS al WITH (UPDLOCK, FORCESEEK)
            ON al.CustomerId = @CustomerId
           AND al.SmtpAddress = w.SmtpAddress
           AND al.RemovedUtc IS NULL
        WHERE al.AccountId <> @AccountId
        ORDER BY w.Ordinal;

        IF @TakenAddress IS NOT NULL
        BEGIN
            SET @Message = CONCAT(N'Alias address is live on another account: ', @TakenAddress);
            THROW 50003, @Message, 1;
        END;

        SET @Writing = N'account';
        UPDATE a
        SET a.UserName = @UserName,
            a.PrimarySmtpAddress = @PrimarySmtpAddress,
            a.FirstName = @FirstName,
            a.LastName = @LastName,
            a.DisplayName = @DisplayName,
            a.AccountStatus = @NewStatus,
            -- Login and journaling follow the status only when it changes, so that an archive
            -- administrator's own settings on an unchanged account survive a SCIM write.
            a.LoginLocked = CASE WHEN @CurrentStatus <> @NewStatus THEN CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END ELSE a.LoginLocked END,
            a.ArchivingEnabled = CASE WHEN @CurrentStatus <> @NewStatus THEN @Enabled ELSE a.ArchivingEnabled END,
            a.ModifiedUtc = @Now
        FROM dbo.ArchiveAccount AS a
        WHERE a.AccountId = @AccountId
          AND a.CustomerId = @CustomerId;

        SET @Writing = N'release';
        UPDATE al
        SET al.RemovedUtc = @Now
        FROM dbo.ArchiveAccountAlias AS al
        WHERE al.AccountId = @AccountId
          AND al.RemovedUtc IS NULL
          AND NOT EXISTS (SELECT 1 FROM @Wanted AS w WHERE w.SmtpAddress = al.SmtpAddress);

        SET @Writing = N'aliases';
        INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
        SELECT @AccountId, @CustomerId, w.SmtpAddress, 3, @Now, NULL
        FROM @Wanted AS w
        WHERE NOT EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccountAlias AS al
            WHERE al.AccountId = @AccountId
              AND al.RemovedUtc IS NULL
              AND al.SmtpAddress = w.SmtpAddress)
        ORDER BY w.Ordinal;

        SET @Writing = N'usermap';
        UPDATE m
        SET m.ExternalId = @ExternalId,
            m.ScimAttributesJson = @ScimAttributesJson,
            m.OtherWorkEmails = @OtherWorkEmails,
            m.ModifiedUtc = @Now
        FROM scim.UserMap AS m
        WHERE m.AccountId = @AccountId
          AND m.CustomerId = @CustomerId;

        IF @@ROWCOUNT = 0
        BEGIN
            SET @Adopted = 1;
            INSERT INTO scim.UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, OtherWorkEmails, CreatedUtc, ModifiedUtc)
            VALUES (@AccountId, @CustomerId, @ExternalId, @ScimAttributesJson, @OtherWorkEmails, @Now, @Now);
        END;

        SET @Writing = N'audit';
        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, UserName, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, CASE WHEN @Adopted = 1 THEN 'AdoptUser' ELSE 'UpdateUser' END,
                @VaultEntryId, @UserName, 'Succeeded', @CorrelationId, @Now);

        SET @Writing = NULL;
        SELECT
            v.VaultEntryId, v.CustomerId, v.UserName, v.PrimarySmtpAddress, v.FirstName, v.LastName,
            v.DisplayName, v.AccountStatus, v.ProvisioningSource, v.ExternalId, v.ScimAttributesJson,
            v.HasUserMap, v.Version, v.CreatedUtc, v.ModifiedUtc, v.AliasesJson
        FROM scim.vw_ScimUser AS v
        WHERE v.CustomerId = @CustomerId
          AND v.AccountId = @AccountId;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        -- Mapped by the statement that failed, never by the index's name (see scim.usp_User_Create).
        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'account'
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'aliases'
        BEGIN
            SELECT TOP (1) @TakenAddress = w.SmtpAddress
            FROM @Wanted AS w
            JOIN dbo.ArchiveAccountAlias AS al
                ON al.CustomerId = @CustomerId
               AND al.SmtpAddress = w.SmtpAddress
               AND al.RemovedUtc IS NULL
            WHERE al.AccountId <> @AccountId
            ORDER BY w.Ordinal;
            SET @Message = CONCAT(N'Alias address is live on another account: ', COALESCE(@TakenAddress, N'(unknown)'));
            THROW 50003, @Message, 1;
        END;

        THROW;
    END CATCH;
END;
GO
