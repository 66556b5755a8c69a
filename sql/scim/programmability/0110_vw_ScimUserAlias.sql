-- The live aliases of live accounts, for the one query built in C# (AccountQueryBuilder), which
-- runs ad hoc and so may read only views the role scim_gateway may SELECT (no ownership chain
-- reaches dbo from an ad hoc batch). The query joins it on AccountId to rows of scim.vw_ScimUser,
-- which are already scoped to the customer.
CREATE OR ALTER VIEW scim.vw_ScimUserAlias
AS
SELECT
    al.AccountId,
    al.SmtpAddress
FROM dbo.ArchiveAccountAlias AS al
WHERE al.RemovedUtc IS NULL;
GO
