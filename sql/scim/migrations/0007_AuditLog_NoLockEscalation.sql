-- A prune deletes up to 10 000 audit rows in one statement (Scim:Audit:PruneBatchSize). From about
-- 5 000 locks on one table SQL Server escalates to a table lock, and an exclusive lock on the whole
-- audit log makes every customer's write (each appends its audit row) wait for the prune. The
-- prune's old rows and the writers' new rows never share a key, so row locks are all it needs.
ALTER TABLE scim.AuditLog SET (LOCK_ESCALATION = DISABLE);
GO
