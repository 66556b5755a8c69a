-- Writes the whole new state of a live account if it is still at @ExpectedVersion (its rowversion
-- as bigint): the account columns, the user map (created on the first SCIM write: adoption of a
-- pre-existing account), the aliases (new ones added, missing ones released by setting
-- RemovedUtc; re-adding a released address inserts a new live row) and the audit row, in one
-- transaction; returns the account as read.
-- Errors: 50001 not found, 50004 version mismatch, 50002 user name taken,
--         50003 alias live on another account (message names it).
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
    @Aliases             scim.AliasList READONLY,
    @TenantKey           nvarchar(64),
    @CorrelationId       nvarchar(128)
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
    DECLARE @TakenAddress nvarchar(320);
    DECLARE @Message nvarchar(2048);

    BEGIN TRY
        BEGIN TRANSACTION;

        SELECT
            @AccountId = a.AccountId,
            @CurrentVersion = CAST(a.RowVer AS bigint),
            @CurrentStatus = a.AccountStatus
        FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, HOLDLOCK)
        WHERE a.CustomerId = @CustomerId
          AND a.VaultEntryId = @VaultEntryId
          AND a.AccountStatus <> 2;

        IF @AccountId IS NULL
            THROW 50001, N'The account does not exist.', 1;

        IF @CurrentVersion <> @ExpectedVersion
            THROW 50004, N'The account has changed since it was read.', 1;

        IF EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, HOLDLOCK)
            WHERE a.CustomerId = @CustomerId
              AND a.UserName = @UserName
              AND a.AccountStatus <> 2
              AND a.AccountId <> @AccountId)
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        SELECT TOP (1) @TakenAddress = l.SmtpAddress
        FROM @Aliases AS l
        JOIN dbo.ArchiveAccountAlias AS al WITH (UPDLOCK, HOLDLOCK)
            ON al.CustomerId = @CustomerId
           AND al.SmtpAddress = l.SmtpAddress
           AND al.RemovedUtc IS NULL
        WHERE al.AccountId <> @AccountId
        ORDER BY l.Ordinal;

        IF @TakenAddress IS NOT NULL
        BEGIN
            SET @Message = CONCAT(N'Alias address is live on another account: ', @TakenAddress);
            THROW 50003, @Message, 1;
        END;

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

        UPDATE al
        SET al.RemovedUtc = @Now
        FROM dbo.ArchiveAccountAlias AS al
        WHERE al.AccountId = @AccountId
          AND al.CustomerId = @CustomerId
          AND al.RemovedUtc IS NULL
          AND NOT EXISTS (SELECT 1 FROM @Aliases AS l WHERE l.SmtpAddress = al.SmtpAddress);

        INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
        SELECT @AccountId, @CustomerId, l.SmtpAddress, 3, @Now, NULL
        FROM @Aliases AS l
        WHERE NOT EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccountAlias AS al
            WHERE al.AccountId = @AccountId
              AND al.CustomerId = @CustomerId
              AND al.RemovedUtc IS NULL
              AND al.SmtpAddress = l.SmtpAddress)
        ORDER BY l.Ordinal;

        UPDATE m
        SET m.ExternalId = @ExternalId,
            m.ScimAttributesJson = @ScimAttributesJson,
            m.ModifiedUtc = @Now
        FROM scim.UserMap AS m
        WHERE m.AccountId = @AccountId
          AND m.CustomerId = @CustomerId;

        IF @@ROWCOUNT = 0
        BEGIN
            SET @Adopted = 1;
            INSERT INTO scim.UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
            VALUES (@AccountId, @CustomerId, @ExternalId, @ScimAttributesJson, @Now, @Now);
        END;

        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, CASE WHEN @Adopted = 1 THEN 'AdoptUser' ELSE 'UpdateUser' END,
                @VaultEntryId, 'Succeeded', @CorrelationId, @Now);

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        IF ERROR_NUMBER() IN (2601, 2627)
        BEGIN
            IF ERROR_MESSAGE() LIKE N'%UX[_]ArchiveAccount[_]CustomerId[_]UserName[_]Live%'
                THROW 50002, N'The user name is already taken by another account of this customer.', 1;

            IF ERROR_MESSAGE() LIKE N'%UX[_]ArchiveAccountAlias[_]CustomerId[_]SmtpAddress[_]Live%'
            BEGIN
                SELECT TOP (1) @TakenAddress = l.SmtpAddress
                FROM @Aliases AS l
                JOIN dbo.ArchiveAccountAlias AS al
                    ON al.CustomerId = @CustomerId
                   AND al.SmtpAddress = l.SmtpAddress
                   AND al.RemovedUtc IS NULL
                WHERE al.AccountId <> @AccountId
                ORDER BY l.Ordinal;
                SET @Message = CONCAT(N'Alias address is live on another account: ', COALESCE(@TakenAddress, N'(unknown)'));
                THROW 50003, @Message, 1;
            END;
        END;

        THROW;
    END CATCH;

    SELECT
        v.VaultEntryId, v.CustomerId, v.UserName, v.PrimarySmtpAddress, v.FirstName, v.LastName,
        v.DisplayName, v.AccountStatus, v.ProvisioningSource, v.ExternalId, v.ScimAttributesJson,
        v.HasUserMap, v.Version, v.CreatedUtc, v.ModifiedUtc, v.AliasesJson
    FROM scim.vw_ScimUser AS v
    WHERE v.CustomerId = @CustomerId
      AND v.AccountId = @AccountId;
END;
GO
