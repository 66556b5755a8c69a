-- Creates an account by SCIM: the account (ProvisioningSource 3), its archive, a new VaultEntryId,
-- its user map, its aliases and the audit row, in one transaction; returns the account as read.
-- Errors: 50002 user name taken, 50003 alias live on another account (message names it),
--         50005 customer not found.
-- Concurrency: the UPDLOCK/HOLDLOCK reads lock the key ranges of the user name and of each alias,
-- so concurrent creates of one user name serialise and exactly one succeeds; the filtered unique
-- indexes are the last line of defence (2601/2627 on them become 50002/50003).
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
    @Aliases             scim.AliasList READONLY,
    @TenantKey           nvarchar(64),
    @CorrelationId       nvarchar(128)
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @Now datetime2(3) = SYSUTCDATETIME();
    DECLARE @AccountId int;
    DECLARE @VaultEntryId nvarchar(64) = CONCAT('1', REPLACE(CONVERT(varchar(36), NEWID()), '-', ''), '1110000scim');
    DECLARE @TakenAddress nvarchar(320);
    DECLARE @Message nvarchar(2048);

    BEGIN TRY
        BEGIN TRANSACTION;

        IF NOT EXISTS (SELECT 1 FROM dbo.Customer AS c WHERE c.CustomerId = @CustomerId)
            THROW 50005, N'The customer does not exist.', 1;

        IF EXISTS (
            SELECT 1
            FROM dbo.ArchiveAccount AS a WITH (UPDLOCK, HOLDLOCK)
            WHERE a.CustomerId = @CustomerId
              AND a.UserName = @UserName
              AND a.AccountStatus <> 2)
            THROW 50002, N'The user name is already taken by another account of this customer.', 1;

        SELECT TOP (1) @TakenAddress = l.SmtpAddress
        FROM @Aliases AS l
        JOIN dbo.ArchiveAccountAlias AS al WITH (UPDLOCK, HOLDLOCK)
            ON al.CustomerId = @CustomerId
           AND al.SmtpAddress = l.SmtpAddress
           AND al.RemovedUtc IS NULL
        ORDER BY l.Ordinal;

        IF @TakenAddress IS NOT NULL
        BEGIN
            SET @Message = CONCAT(N'Alias address is live on another account: ', @TakenAddress);
            THROW 50003, @Message, 1;
        END;

        INSERT INTO dbo.ArchiveAccount
            (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
             AccountStatus, LoginLocked, ArchivingEnabled, PersonalArchiveEnabled, ProvisioningSource,
             CreatedUtc, ModifiedUtc)
        VALUES
            (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName, @DisplayName,
             CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END, CASE WHEN @Enabled = 1 THEN 0 ELSE 1 END, @Enabled, 1, 3,
             @Now, @Now);
        SET @AccountId = SCOPE_IDENTITY();

        INSERT INTO dbo.Archive (AccountId, ArchiveName, CreatedUtc, HoldCount)
        VALUES (@AccountId, COALESCE(@DisplayName, @UserName), @Now, 0);

        INSERT INTO scim.UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
        VALUES (@AccountId, @CustomerId, @ExternalId, @ScimAttributesJson, @Now, @Now);

        -- INSERT ... SELECT ... ORDER BY assigns the identity values in that order.
        INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
        SELECT @AccountId, @CustomerId, l.SmtpAddress, 3, @Now, NULL
        FROM @Aliases AS l
        ORDER BY l.Ordinal;

        INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
        VALUES (@TenantKey, @CustomerId, 'CreateUser', @VaultEntryId, 'Succeeded', @CorrelationId, @Now);

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
                -- The rollback undid our rows; whatever is live now belongs to someone else.
                SELECT TOP (1) @TakenAddress = l.SmtpAddress
                FROM @Aliases AS l
                JOIN dbo.ArchiveAccountAlias AS al
                    ON al.CustomerId = @CustomerId
                   AND al.SmtpAddress = l.SmtpAddress
                   AND al.RemovedUtc IS NULL
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
