-- Development data for the embedded store: "Demo Customer" with two domains and accounts that
-- existed before the gateway (directory sync and manual), for Entra to find and adopt.
-- Idempotent: each row is inserted only when it is missing. Same names as sql/ T-SQL seed.

BEGIN IMMEDIATE;

INSERT INTO Customer (CustomerGuid, Name, DataCenter, Status, CreatedUtc, ModifiedUtc)
SELECT '0DE30000-0000-4000-8000-00000000DE30', 'Demo Customer', 'EU1', 0, @Now, @Now
WHERE NOT EXISTS (SELECT 1 FROM Customer WHERE Name = 'Demo Customer');

WITH demo AS (SELECT MIN(CustomerId) AS CustomerId FROM Customer WHERE Name = 'Demo Customer'),
     domain (DomainName, IsPrimary) AS (VALUES ('demo.example.com', 1), ('demo-archive.example.com', 0))
INSERT INTO CustomerDomain (CustomerId, DomainName, IsPrimary)
SELECT demo.CustomerId, domain.DomainName, domain.IsPrimary FROM demo, domain
WHERE NOT EXISTS (SELECT 1 FROM CustomerDomain AS d WHERE d.DomainName = domain.DomainName);

WITH demo AS (SELECT MIN(CustomerId) AS CustomerId FROM Customer WHERE Name = 'Demo Customer'),
     seed (VaultEntryId, UserName, FirstName, LastName, AccountStatus, ProvisioningSource) AS (VALUES
        ('DE000000000000000000000000A11CE1', 'alice.adams@demo.example.com', 'Alice', 'Adams', 0, 1),
        ('DE000000000000000000000000B0B0B1', 'bob.brown@demo.example.com', 'Bob', 'Brown', 1, 1),
        ('DE000000000000000000000000CA201C', 'carol.clark@demo.example.com', 'Carol', 'Clark', 2, 1),
        ('DE000000000000000000000000DA7ED1', 'dave.davis@demo.example.com', 'Dave', 'Davis', 0, 0))
INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName,
    DisplayName, AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
SELECT demo.CustomerId, seed.VaultEntryId, seed.UserName, seed.UserName, seed.FirstName, seed.LastName,
    seed.FirstName || ' ' || seed.LastName, seed.AccountStatus, seed.ProvisioningSource, 1, @Now, @Now
FROM demo, seed
WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccount AS a WHERE a.VaultEntryId = seed.VaultEntryId)
  AND NOT EXISTS (SELECT 1 FROM ArchiveAccount AS a
                  WHERE a.CustomerId = demo.CustomerId AND a.UserName = seed.UserName AND a.AccountStatus <> 2);

INSERT INTO Archive (AccountId, ArchiveName, CreatedUtc)
SELECT a.AccountId, a.DisplayName, @Now FROM ArchiveAccount AS a
WHERE a.VaultEntryId LIKE 'DE000000000000000000000000%'
  AND NOT EXISTS (SELECT 1 FROM Archive AS r WHERE r.AccountId = a.AccountId);

WITH alias (VaultEntryId, SmtpAddress, Released) AS (VALUES
        ('DE000000000000000000000000A11CE1', 'alice@demo.example.com', 0),
        ('DE000000000000000000000000A11CE1', 'alice.adams@demo-archive.example.com', 0),
        ('DE000000000000000000000000CA201C', 'carol@demo.example.com', 1))
INSERT INTO ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc, RemovedUtc)
SELECT a.AccountId, a.CustomerId, alias.SmtpAddress, 1, @Now, CASE WHEN alias.Released = 1 THEN @Now END
FROM alias JOIN ArchiveAccount AS a ON a.VaultEntryId = alias.VaultEntryId
WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccountAlias AS l WHERE l.AccountId = a.AccountId AND l.SmtpAddress = alias.SmtpAddress)
  AND (alias.Released = 1 OR NOT EXISTS (SELECT 1 FROM ArchiveAccountAlias AS l
                                         WHERE l.CustomerId = a.CustomerId AND l.SmtpAddress = alias.SmtpAddress AND l.RemovedUtc IS NULL));

SELECT MIN(CustomerId) FROM Customer WHERE Name = 'Demo Customer';

COMMIT;
