-- The adapter's own schema. The deployer runs this script itself before the journal exists
-- (the journal table lives in this schema), and only when the schema is missing.
CREATE SCHEMA scim AUTHORIZATION dbo;
GO
