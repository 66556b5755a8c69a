-- The embedded archive database: the legacy archive tables (DESIGN.md section 3) and the
-- adapter's own tables (section 4), in SQLite dialect. Idempotent: run on every start.
-- Timestamps are TEXT in the fixed form yyyy-MM-ddTHH:mm:ss.fffffffZ so that text order is time order.
-- COLLATE NOCASE folds ASCII letters only, where SQL Server's CI collations fold all letters:
-- here 'E' = 'e' but 'É' <> 'é'. User names and SMTP addresses are ASCII in practice
-- (international domains travel as punycode), so the two stores agree on them.

PRAGMA journal_mode = WAL;

BEGIN IMMEDIATE;

-- A database written by a newer gateway is not downgraded.
SELECT scim_fail(50100, 'The database schema is newer than this gateway.')
WHERE (SELECT user_version FROM pragma_user_version) > 3;

-- Legacy archive tables (never altered by the gateway; recreated here for the embedded store).

CREATE TABLE IF NOT EXISTS Customer (
    CustomerId   INTEGER PRIMARY KEY AUTOINCREMENT,
    CustomerGuid TEXT    NOT NULL UNIQUE,
    Name         TEXT    NOT NULL COLLATE NOCASE,
    DataCenter   TEXT    NOT NULL DEFAULT 'EU1',
    Status       INTEGER NOT NULL DEFAULT 0,
    CreatedUtc   TEXT    NOT NULL,
    ModifiedUtc  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS IX_Customer_Name ON Customer (Name);

CREATE TABLE IF NOT EXISTS CustomerDomain (
    CustomerDomainId INTEGER PRIMARY KEY AUTOINCREMENT,
    CustomerId       INTEGER NOT NULL REFERENCES Customer (CustomerId),
    DomainName       TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    IsPrimary        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS IX_CustomerDomain_Customer ON CustomerDomain (CustomerId);

CREATE TABLE IF NOT EXISTS ArchiveAccount (
    AccountId              INTEGER PRIMARY KEY AUTOINCREMENT,
    CustomerId             INTEGER NOT NULL REFERENCES Customer (CustomerId),
    VaultEntryId           TEXT    NOT NULL UNIQUE,
    UserName               TEXT    NOT NULL COLLATE NOCASE,
    PrimarySmtpAddress     TEXT    COLLATE NOCASE,
    FirstName              TEXT,
    LastName               TEXT,
    DisplayName            TEXT,
    AccountStatus          INTEGER NOT NULL DEFAULT 0 CHECK (AccountStatus IN (0, 1, 2)),
    LoginLocked            INTEGER NOT NULL DEFAULT 0,
    ArchivingEnabled       INTEGER NOT NULL DEFAULT 1,
    PersonalArchiveEnabled INTEGER NOT NULL DEFAULT 1,
    ProvisioningSource     INTEGER NOT NULL DEFAULT 0 CHECK (ProvisioningSource IN (0, 1, 2, 3)),
    -- Stands in for SQL Server's rowversion: every write increments it.
    Version                INTEGER NOT NULL DEFAULT 1,
    CreatedUtc             TEXT    NOT NULL,
    ModifiedUtc            TEXT    NOT NULL
);
-- A user name belongs to one account of a customer among the accounts that are not deleted.
CREATE UNIQUE INDEX IF NOT EXISTS UX_ArchiveAccount_Customer_UserName_Live
    ON ArchiveAccount (CustomerId, UserName) WHERE AccountStatus <> 2;
-- The default order of a query (by id) reads this index in order: no sort, no table lookups.
CREATE INDEX IF NOT EXISTS IX_ArchiveAccount_Customer_VaultEntryId_Live
    ON ArchiveAccount (CustomerId, VaultEntryId) WHERE AccountStatus <> 2;
CREATE INDEX IF NOT EXISTS IX_ArchiveAccount_Customer_PrimarySmtp
    ON ArchiveAccount (CustomerId, PrimarySmtpAddress);

CREATE TABLE IF NOT EXISTS Archive (
    ArchiveId   INTEGER PRIMARY KEY AUTOINCREMENT,
    AccountId   INTEGER NOT NULL REFERENCES ArchiveAccount (AccountId),
    ArchiveName TEXT    NOT NULL,
    CreatedUtc  TEXT    NOT NULL,
    HoldCount   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS IX_Archive_Account ON Archive (AccountId);

CREATE TABLE IF NOT EXISTS ArchiveAccountAlias (
    AliasId     INTEGER PRIMARY KEY AUTOINCREMENT,
    AccountId   INTEGER NOT NULL REFERENCES ArchiveAccount (AccountId),
    CustomerId  INTEGER NOT NULL REFERENCES Customer (CustomerId),
    SmtpAddress TEXT    NOT NULL COLLATE NOCASE,
    Source      INTEGER NOT NULL DEFAULT 0,
    AddedUtc    TEXT    NOT NULL,
    -- Null while live; removed rows stay so that past mail can still be attributed.
    RemovedUtc  TEXT
);
-- A live address has exactly one owner per customer.
CREATE UNIQUE INDEX IF NOT EXISTS UX_ArchiveAccountAlias_Customer_Smtp_Live
    ON ArchiveAccountAlias (CustomerId, SmtpAddress) WHERE RemovedUtc IS NULL;
CREATE INDEX IF NOT EXISTS IX_ArchiveAccountAlias_Account ON ArchiveAccountAlias (AccountId, RemovedUtc);

-- Adapter tables (the scim schema of SQL Server). A database of an older version is first brought
-- to this one by the Upgrade_N_to_M.sql scripts (SqliteArchiveDatabase.InitializeAsync runs them).

CREATE TABLE IF NOT EXISTS Tenant (
    TenantId   INTEGER PRIMARY KEY AUTOINCREMENT,
    TenantKey  TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    CustomerId INTEGER NOT NULL REFERENCES Customer (CustomerId),
    CreatedUtc TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS TenantToken (
    TokenId     INTEGER PRIMARY KEY AUTOINCREMENT,
    TenantId    INTEGER NOT NULL REFERENCES Tenant (TenantId),
    -- SHA-256 of the secret token; the token itself is never stored.
    TokenHash   BLOB    NOT NULL UNIQUE CHECK (length(TokenHash) = 32),
    CreatedUtc  TEXT    NOT NULL,
    LastUsedUtc TEXT,
    RevokedUtc  TEXT
);
CREATE INDEX IF NOT EXISTS IX_TenantToken_Tenant ON TenantToken (TenantId);

CREATE TABLE IF NOT EXISTS UserMap (
    AccountId          INTEGER PRIMARY KEY REFERENCES ArchiveAccount (AccountId),
    CustomerId         INTEGER NOT NULL REFERENCES Customer (CustomerId),
    -- Compared exactly, as SCIM's externalId is caseExact.
    ExternalId         TEXT,
    ScimAttributesJson TEXT,
    CreatedUtc         TEXT    NOT NULL,
    ModifiedUtc        TEXT    NOT NULL,
    -- The user's work e-mail addresses besides the primary SMTP address: a JSON array, ASCII
    -- letters lower-cased; NULL when there are none (every account Entra writes). Last, where
    -- Upgrade_2_to_3.sql adds it.
    OtherWorkEmails    TEXT
);
CREATE INDEX IF NOT EXISTS IX_UserMap_Customer_ExternalId ON UserMap (CustomerId, ExternalId);
CREATE INDEX IF NOT EXISTS IX_UserMap_Customer_OtherWorkEmails ON UserMap (CustomerId) WHERE OtherWorkEmails IS NOT NULL;

CREATE TABLE IF NOT EXISTS AuditLog (
    AuditId       INTEGER PRIMARY KEY AUTOINCREMENT,
    OccurredUtc   TEXT    NOT NULL,
    TenantKey     TEXT    NOT NULL,
    CustomerId    INTEGER NOT NULL,
    Operation     TEXT    NOT NULL,
    -- The account's SCIM id; null for tenant and token operations.
    VaultEntryId  TEXT,
    -- The account's userName when the row was written, so a deleted or renamed account's rows
    -- are still found by the name it had.
    UserName      TEXT    COLLATE NOCASE,
    Outcome       TEXT    NOT NULL,
    CorrelationId TEXT
);
CREATE INDEX IF NOT EXISTS IX_AuditLog_VaultEntryId ON AuditLog (VaultEntryId);
CREATE INDEX IF NOT EXISTS IX_AuditLog_Tenant_UserName ON AuditLog (TenantKey, UserName, AuditId);
-- The audit trail is read per tenant newest first and pruned oldest first.
CREATE INDEX IF NOT EXISTS IX_AuditLog_Tenant ON AuditLog (TenantKey, AuditId);
CREATE INDEX IF NOT EXISTS IX_AuditLog_OccurredUtc ON AuditLog (OccurredUtc);

PRAGMA user_version = 3;

COMMIT;

-- Gathers the statistics the planner needs to prefer the indexes above.
PRAGMA optimize = 0x10002;
