-- Live (enabled or disabled, not deleted) archive accounts as SCIM rows. Every read procedure and
-- the one query built in C# (AccountQueryBuilder) select from this view.
--   Version      the rowversion as bigint (the SCIM meta.version)
--   OtherWorkEmails  the work addresses besides the primary SMTP address (JSON, or null)
--   HasUserMap   0 for an account that SCIM has never written (pre-existing, not yet adopted)
--   AliasesJson  the live aliases in the order they were added, as [{"SmtpAddress":"..."}],
--                null when there are none; one row per account keeps every read one round trip
--                (AccountId alone scopes the aliases: an alias row's foreign key ties it to its
--                account's customer, and a CustomerId test would cost a key lookup per alias, as
--                IX_ArchiveAccountAlias_AccountId does not hold it)
CREATE OR ALTER VIEW scim.vw_ScimUser
AS
SELECT
    a.AccountId,
    a.CustomerId,
    a.VaultEntryId,
    a.UserName,
    a.PrimarySmtpAddress,
    a.FirstName,
    a.LastName,
    a.DisplayName,
    a.AccountStatus,
    CAST(CASE WHEN a.AccountStatus = 0 THEN 1 ELSE 0 END AS bit) AS Active,
    a.ProvisioningSource,
    m.ExternalId,
    m.ScimAttributesJson,
    m.OtherWorkEmails,
    CAST(CASE WHEN m.AccountId IS NULL THEN 0 ELSE 1 END AS bit) AS HasUserMap,
    CAST(a.RowVer AS bigint) AS Version,
    a.CreatedUtc,
    a.ModifiedUtc,
    (
        SELECT al.SmtpAddress
        FROM dbo.ArchiveAccountAlias AS al
        WHERE al.AccountId = a.AccountId
          AND al.RemovedUtc IS NULL
        ORDER BY al.AliasId
        FOR JSON PATH
    ) AS AliasesJson
FROM dbo.ArchiveAccount AS a
LEFT JOIN scim.UserMap AS m
    ON m.AccountId = a.AccountId
   AND m.CustomerId = a.CustomerId
WHERE a.AccountStatus <> 2;
GO
