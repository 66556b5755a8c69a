-- Schema version 2 to 3: the user map keeps a user's work e-mail addresses besides the primary
-- SMTP address (RFC 7643 allows any number of e-mails of one type), so that a lookup of a work
-- address finds them. Rows written before the upgrade had at most one work address (version 2
-- refused a second), so NULL is right for all of them. Schema.sql (run next) creates the index.

BEGIN IMMEDIATE;

SELECT scim_fail(50100, 'The database schema is not at version 2; this upgrade does not apply.')
WHERE (SELECT user_version FROM pragma_user_version) <> 2;

ALTER TABLE UserMap ADD COLUMN OtherWorkEmails TEXT;

PRAGMA user_version = 3;

COMMIT;
