-- Creates an account by SCIM: the account (ProvisioningSource 3), its archive, a new VaultEntryId,
-- its user map, its aliases and the audit row, in one transaction; returns the account as read
-- inside that transaction, so that a call either commits and has its answer, or commits nothing.
-- Errors: 50002 user name taken, 50003 alias live on another account (message names it),
--         50005 customer not found, 50008 the customer's write lock was not granted.
-- Concurrency: every write procedure of a customer first takes the transaction-owned application
-- lock scim/customer/{id}, so a customer's writes queue in one order and cannot deadlock among
-- themselves. The checks then read with UPDLOCK, FORCESEEK and deliberately without HOLDLOCK: a
-- key-range lock on a key that is not there locks the next key, which at the edge of this
-- customer's range is another customer's first key (sql/README.md, "Concurrency"). Uniqueness
-- against writers outside the gateway is the unique indexes' job; a violation is mapped by the
-- statement that hit it.
CREATE OR ALTER PROCEDURE scim.usp_User_Create
    @CustomerId          int,
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
    DECLARE @VaultEntryId nvarchar(64) = CONCAT('1', REPLACE(CONVERT(varchar(36), NEWID()), '-', ''), '1110000scim');
    DECLARE @LockResult int;
    DECLARE @LockResource nvarchar(255) = CONCAT(N'scim/customer/', @CustomerId);
    DECLARE @Writing nvarchar(16);
    DECLARE @TakenAddress nvarchar(320);
    DECLARE @Message nvarchar(2048);
    -- Table variables survive a rollback, so the CATCH block can still name the address.
    DECLARE @Wanted TABLE (SmtpAddress nvarchar(320) NOT NULL, Ordinal int NOT NULL);

    BEGIN TRY
        BEGIN TRANSACTION;

        EXEC @LockResult = sys.sp_getapplock
            @Resource = @LockResource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @LockResult < 0
            THROW 50008, N'The customer''s write lock was not granted.', 1;

        -- One row per address as the database compares addresses (the first occurrence wins).
        INSERT INTO @Wanted (SmtpAddress, Ordinal)
        SELECT d.SmtpAddress, d.Ordinal
        FROM (
            SELECT l.SmtpAddress, l.Ordinal, ROW_NUMBER() OVER (PARTITION BY l.SmtpAddress ORDER BY l.Ordinal) AS Occurrence
            FROM @Aliases AS l) AS d
        WHERE d.Occurrence = 1;

        IF NOT EXISTS (SELECT 1 FROM dbo.Customer AS c WHERE c.CustomerId = @CustomerId)
            THROW 50005, N'The customer does not exist.', 1;

        IF EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, FORCESEEK)
            WHERE a.CustomerId = @CustomerId
              AND a.UserName = @UserName
              AND a.AccountStatus <> 2)
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        SELECT TOP (1) @TakenAddress = w.SmtpAddress
        FROM @Wanted AS w
        JOIN dbo.ArchiveAccountAlias AS al WITH (UPDLOCK, FORCESEEK)
            ON al.CustomerId = @CustomerId
           AND al.SmtpAddress = w.SmtpAddress
           AND al.RemovedUtc IS NULL
        ORDER BY w.Ordinal;

        IF @TakenAddress IS NOT NULL
        BEGIN
            SET @Message = CONCAT(N'Alias address is live on another account: ', @TakenAddress);
            THROW 50003, @Message, 1;
        END;

        SET @Writing = N'account';
        INSERT INTO dbo.ArchiveAccount
            (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
             AccountStatus, LoginLocked, ArchivingEnabled, PersonalArchiveEnabled, ProvisioningSource,
             CreatedUtc, ModifiedUtc)
        VALUES
            (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName, @DisplayName,
             CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END, CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END, @Enabled, 1, 3,
             @Now, @Now);
        SET @AccountId = SCOPE_IDENTITY();

        SET @Writing = N'archive';
        INSERT INTO dbo.Archive (AccountId, ArchiveName, CreatedUtc, HoldCount)
        VALUES (@AccountId, COALESCE(@DisplayName, @UserName), @Now, 0);

        SET @Writing = N'usermap';
        INSERT INTO scim.UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, OtherWorkEmails, CreatedUtc, ModifiedUtc)
        VALUES (@AccountId, @CustomerId, @ExternalId, @ScimAttributesJson, @OtherWorkEmails, @Now, @Now);

        -- INSERT ... SELECT ... ORDER BY assigns the identity values in that order.
        SET @Writing = N'aliases';
        INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
        SELECT @AccountId, @CustomerId, w.SmtpAddress, 3, @Now, NULL
        FROM @Wanted AS w
        ORDER BY w.Ordinal;

        SET @Writing = N'audit';
        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, UserName, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'CreateUser', @VaultEntryId, @UserName, 'Succeeded', @CorrelationId, @Now);

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

        -- Only a writer outside the gateway can get here (the checks above ran under the lock):
        -- the statement that failed says which uniqueness it was, whatever the index is called.
        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'account'
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        IF ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'aliases'
        BEGIN
            -- The rollback undid our rows; whatever is live now belongs to someone else.
            SELECT TOP (1) @TakenAddress = w.SmtpAddress
            FROM @Wanted AS w
            JOIN dbo.ArchiveAccountAlias AS al
                ON al.CustomerId = @CustomerId
               AND al.SmtpAddress = w.SmtpAddress
               AND al.RemovedUtc IS NULL
            ORDER BY w.Ordinal;
            SET @Message = CONCAT(N'Alias address is live on another account: ', COALESCE(@TakenAddress, N'(unknown)'));
            THROW 50003, @Message, 1;
        END;

        THROW;
    END CATCH;
END;
GO
