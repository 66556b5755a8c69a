namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The indexes the hot statements are pinned to with INDEXED BY (names from Schema/Schema.sql), so
/// that no state of the statistics can turn a seek into a scan: a pinned statement whose index
/// cannot serve it fails to prepare instead of scanning.
/// </summary>
internal static class SqliteIndexes
{
    /// <summary>The UNIQUE constraint on ArchiveAccount.VaultEntryId (SQLite names it).</summary>
    public const string AccountByVaultEntryId = "sqlite_autoindex_ArchiveAccount_1";

    public const string LiveAccountByUserName = "UX_ArchiveAccount_Customer_UserName_Live";

    public const string AccountByPrimarySmtp = "IX_ArchiveAccount_Customer_PrimarySmtp";

    public const string LiveAliasByAddress = "UX_ArchiveAccountAlias_Customer_Smtp_Live";

    public const string AliasByAccount = "IX_ArchiveAccountAlias_Account";

    public const string UserMapByExternalId = "IX_UserMap_Customer_ExternalId";

    /// <summary>Partial: only the user maps that hold other work addresses.</summary>
    public const string UserMapWithOtherWorkEmails = "IX_UserMap_Customer_OtherWorkEmails";

    /// <summary>The UNIQUE constraint on TenantToken.TokenHash.</summary>
    public const string TokenByHash = "sqlite_autoindex_TenantToken_1";

    public const string AuditByTenant = "IX_AuditLog_Tenant";

    public const string AuditByVaultEntryId = "IX_AuditLog_VaultEntryId";

    public const string AuditByTenantUserName = "IX_AuditLog_Tenant_UserName";
}
