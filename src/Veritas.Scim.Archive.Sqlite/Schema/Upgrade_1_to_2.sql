-- Schema version 1 to 2: the audit log takes tenant and token rows (no SCIM id) and keeps the
-- userName an account had when its row was written. SQLite cannot relax NOT NULL in place, so the
-- table is rebuilt (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema
-- changes"), in one transaction: a failure leaves version 1 whole. Rows written before the upgrade
-- take the account's userName of now, the closest the database still knows.

BEGIN IMMEDIATE;

SELECT scim_fail(50100, 'The database schema is not at version 1; this upgrade does not apply.')
WHERE (SELECT user_version FROM pragma_user_version) <> 1;

CREATE TABLE AuditLog_v2 (
    AuditId       INTEGER PRIMARY KEY AUTOINCREMENT,
    OccurredUtc   TEXT    NOT NULL,
    TenantKey     TEXT    NOT NULL,
    CustomerId    INTEGER NOT NULL,
    Operation     TEXT    NOT NULL,
    VaultEntryId  TEXT,
    UserName      TEXT    COLLATE NOCASE,
    Outcome       TEXT    NOT NULL,
    CorrelationId TEXT
);

INSERT INTO AuditLog_v2 (AuditId, OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, UserName, Outcome, CorrelationId)
SELECT l.AuditId, l.OccurredUtc, l.TenantKey, l.CustomerId, l.Operation, l.VaultEntryId,
       (SELECT a.UserName FROM ArchiveAccount AS a WHERE a.VaultEntryId = l.VaultEntryId),
       l.Outcome, l.CorrelationId
FROM AuditLog AS l
ORDER BY l.AuditId;

DROP TABLE AuditLog;
ALTER TABLE AuditLog_v2 RENAME TO AuditLog;

-- The indexes went with the old table; Schema.sql (run next) creates them on the new one.
PRAGMA user_version = 2;

COMMIT;
