-- Development and test databases only (the gateway never alters dbo in production; `db check`
-- reports a production index without these INCLUDEs as a warning with this script as the fix).
-- A filtered index whose filter column is not in the index makes the optimizer re-check the
-- filter through a key lookup (notably for IS NULL filters); the HOLDLOCK checks also read
-- AccountId. Including them keeps every uniqueness check a single seek.
CREATE UNIQUE INDEX UX_ArchiveAccount_CustomerId_UserName_Live
    ON dbo.ArchiveAccount (CustomerId, UserName)
    INCLUDE (AccountStatus)
    WHERE AccountStatus <> 2
    WITH (DROP_EXISTING = ON);
GO

CREATE UNIQUE INDEX UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live
    ON dbo.ArchiveAccountAlias (CustomerId, SmtpAddress)
    INCLUDE (AccountId, RemovedUtc)
    WHERE RemovedUtc IS NULL
    WITH (DROP_EXISTING = ON);
GO
