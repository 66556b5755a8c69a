-- The role a gateway's login is a member of (README, "SQL Server"): its rights are granted by
-- scim/programmability/0900_GatewayRole_Grants.sql on every deployment, so that a deployment
-- also corrects rights someone changed by hand.
CREATE ROLE scim_gateway AUTHORIZATION dbo;
GO
