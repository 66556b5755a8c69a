-- The alias list a write procedure receives as a table-valued parameter. Ordinal keeps the
-- client's order, so that aliases read back in the order they were written.
CREATE TYPE scim.AliasList AS TABLE
(
    SmtpAddress  nvarchar(320)  NOT NULL PRIMARY KEY,
    Ordinal      int            NOT NULL
);
GO
