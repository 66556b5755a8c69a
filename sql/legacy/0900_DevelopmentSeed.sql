-- Development seed: one demo customer with accounts made before the gateway existed (by hand and
-- by an older directory sync), so that adoption by userName can be tried at once.
-- Development and tests only; re-runnable (does nothing when the demo customer exists).

IF NOT EXISTS (SELECT 1 FROM dbo.Customer WHERE Name = N'Demo Customer')
BEGIN
    SET XACT_ABORT ON;
    BEGIN TRANSACTION;

    DECLARE @CustomerId int;
    DECLARE @Now datetime2(3) = SYSUTCDATETIME();

    INSERT INTO dbo.Customer (CustomerGuid, Name, DataCenter, Status)
    VALUES ('6A1F0C1E-8B2D-4C55-9E0A-3D7B5C9A1E01', N'Demo Customer', N'EU1', 0);
    SET @CustomerId = SCOPE_IDENTITY();

    INSERT INTO dbo.CustomerDomain (CustomerId, DomainName, IsPrimary)
    VALUES (@CustomerId, N'demo.example.com', 1),
           (@CustomerId, N'demo-archive.example.com', 0);

    -- The same accounts as the embedded store's seed (src/Veritas.Scim.Archive.Sqlite/Schema/DemoSeed.sql).
    INSERT INTO dbo.ArchiveAccount
        (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
         AccountStatus, LoginLocked, ArchivingEnabled, PersonalArchiveEnabled, ProvisioningSource, CreatedUtc, ModifiedUtc)
    VALUES
        (@CustomerId, N'DE000000000000000000000000A11CE1', N'alice.adams@demo.example.com', N'alice.adams@demo.example.com',
         N'Alice', N'Adams', N'Alice Adams', 0, 0, 1, 1, 1, @Now, @Now),
        (@CustomerId, N'DE000000000000000000000000B0B0B1', N'bob.brown@demo.example.com', N'bob.brown@demo.example.com',
         N'Bob', N'Brown', N'Bob Brown', 1, 1, 0, 1, 1, @Now, @Now),
        (@CustomerId, N'DE000000000000000000000000CA201C', N'carol.clark@demo.example.com', N'carol.clark@demo.example.com',
         N'Carol', N'Clark', N'Carol Clark', 2, 1, 0, 0, 1, @Now, @Now),
        (@CustomerId, N'DE000000000000000000000000DA7ED1', N'dave.davis@demo.example.com', N'dave.davis@demo.example.com',
         N'Dave', N'Davis', N'Dave Davis', 0, 0, 1, 1, 0, @Now, @Now);

    INSERT INTO dbo.Archive (AccountId, ArchiveName, CreatedUtc, HoldCount)
    SELECT a.AccountId, a.DisplayName, @Now, 0
    FROM dbo.ArchiveAccount AS a
    WHERE a.CustomerId = @CustomerId;

    INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
    SELECT a.AccountId, @CustomerId, v.SmtpAddress, 1, @Now, v.RemovedUtc
    FROM (VALUES
            (N'DE000000000000000000000000A11CE1', N'alice@demo.example.com', CAST(NULL AS datetime2(3))),
            (N'DE000000000000000000000000A11CE1', N'alice.adams@demo-archive.example.com', CAST(NULL AS datetime2(3))),
            (N'DE000000000000000000000000CA201C', N'carol@demo.example.com', @Now)
         ) AS v (VaultEntryId, SmtpAddress, RemovedUtc)
    JOIN dbo.ArchiveAccount AS a
        ON a.CustomerId = @CustomerId AND a.VaultEntryId = v.VaultEntryId;

    COMMIT TRANSACTION;
END;
GO
