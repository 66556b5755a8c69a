-- The audit trail is read per tenant newest first (usp_Audit_List) and pruned oldest first
-- (usp_Audit_Prune); without these both would scan the whole log.
CREATE INDEX IX_AuditLog_TenantKey_AuditId ON scim.AuditLog (TenantKey, AuditId DESC)
    INCLUDE (OccurredUtc, Operation, ScimId, Outcome, CorrelationId);
GO

CREATE INDEX IX_AuditLog_OccurredUtc ON scim.AuditLog (OccurredUtc);
GO
