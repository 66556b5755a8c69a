-- The audit row keeps the userName an account had when it was written, so `audit --user NAME`
-- still finds a deleted or renamed account's history (by id the row would need the account as it
-- is now). Rows written before this migration take the account's userName of now, the closest
-- the database still knows. Null for tenant and token rows.
ALTER TABLE scim.AuditLog ADD UserName nvarchar(256) NULL;
GO

UPDATE l
SET l.UserName = a.UserName
FROM scim.AuditLog AS l
JOIN dbo.ArchiveAccount AS a
    ON a.CustomerId = l.CustomerId
   AND a.VaultEntryId = l.ScimId
WHERE l.ScimId IS NOT NULL;
GO

-- usp_Audit_List by name seeks here, newest first, as by tenant on IX_AuditLog_TenantKey_AuditId.
CREATE INDEX IX_AuditLog_TenantKey_UserName_AuditId ON scim.AuditLog (TenantKey, UserName, AuditId DESC)
    INCLUDE (OccurredUtc, Operation, ScimId, Outcome, CorrelationId);
GO
