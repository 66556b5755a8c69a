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
           (@CustomerId, N'demo-corp.example.net', 0);

    INSERT INTO dbo.ArchiveAccount
        (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
         AccountStatus, LoginLocked, ArchivingEnabled, PersonalArchiveEnabled, ProvisioningSource, CreatedUtc, ModifiedUtc)
    VALUES
        (@CustomerId, '1D3A5B7C9E0F1A2B3C4D5E6F708192A31110000demo', N'alice@demo.example.com', N'alice@demo.example.com',
         N'Alice', N'Archer', N'Alice Archer', 0, 0, 1, 1, 1, @Now, @Now),
        (@CustomerId, '1D3A5B7C9E0F1A2B3C4D5E6F708192A41110000demo', N'bob@demo.example.com', N'bob@demo.example.com',
         N'Bob', N'Baker', N'Bob Baker', 0, 0, 1, 1, 0, @Now, @Now),
        (@CustomerId, '1D3A5B7C9E0F1A2B3C4D5E6F708192A51110000demo', N'carol@demo.example.com', N'carol@demo.example.com',
         N'Carol', N'Cooper', N'Carol Cooper', 1, 1, 0, 1, 1, @Now, @Now),
        (@CustomerId, '1D3A5B7C9E0F1A2B3C4D5E6F708192A61110000demo', N'dave@demo.example.com', N'dave@demo.example.com',
         N'Dave', N'Dyer', N'Dave Dyer', 2, 1, 0, 0, 1, @Now, @Now);

    INSERT INTO dbo.Archive (AccountId, ArchiveName, CreatedUtc, HoldCount)
    SELECT a.AccountId, a.DisplayName, @Now, 0
    FROM dbo.ArchiveAccount AS a
    WHERE a.CustomerId = @CustomerId;

    INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
    SELECT a.AccountId, @CustomerId, v.SmtpAddress, 1, @Now, v.RemovedUtc
    FROM (VALUES
            (N'alice@demo.example.com', N'a.archer@demo.example.com', CAST(NULL AS datetime2(3))),
            (N'alice@demo.example.com', N'alice@demo-corp.example.net', CAST(NULL AS datetime2(3))),
            (N'bob@demo.example.com', N'bob.baker@demo.example.com', CAST(NULL AS datetime2(3))),
            (N'dave@demo.example.com', N'd.dyer@demo.example.com', @Now)
         ) AS v (UserName, SmtpAddress, RemovedUtc)
    JOIN dbo.ArchiveAccount AS a
        ON a.CustomerId = @CustomerId AND a.UserName = v.UserName;

    COMMIT TRANSACTION;
END;
GO
