-- The rights of the role scim_gateway (created by scim/migrations/0005_GatewayRole.sql), set on
-- every deployment: EXECUTE on schema scim (the procedures reach dbo through their ownership
-- chain: schema scim and the dbo tables are both owned by dbo) and SELECT on exactly the views
-- the ad hoc account query reads. Never SELECT on the schema, so never on scim.TenantToken,
-- scim.AuditLog or the journal scim.SchemaVersions; a broader grant made by hand is taken back.
REVOKE SELECT, INSERT, UPDATE, DELETE ON SCHEMA::scim FROM scim_gateway;
GO

GRANT EXECUTE ON SCHEMA::scim TO scim_gateway;
GRANT SELECT ON OBJECT::scim.vw_ScimUser TO scim_gateway;
GRANT SELECT ON OBJECT::scim.vw_ScimUserAlias TO scim_gateway;
GO
