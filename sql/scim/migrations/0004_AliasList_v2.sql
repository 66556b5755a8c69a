-- Version 2 of the alias list (a table type cannot be altered, and cannot be dropped while a
-- procedure references it). No key: the store sends each address once per position, and the
-- procedures de-duplicate inside their TRY block by the alias column's own comparison, so no row
-- the client sent can fail the call before the procedure runs (version 1's key on SmtpAddress
-- compared by the collation while C# compared ordinally, and broke the call before TRY).
-- The procedures move to this type in the same deployment; scim.AliasList (version 1) is dropped
-- by a later release's migration once no gateway of the previous release can still call it.
CREATE TYPE scim.AliasList_v2 AS TABLE
(
    SmtpAddress  nvarchar(320)  NOT NULL,
    Ordinal      int            NOT NULL
);
GO
