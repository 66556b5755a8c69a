using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// <see cref="IArchiveAccountStore"/> on the embedded database. Every operation is one command
/// text (one span); a write is BEGIN IMMEDIATE, guards, changes, audit row, read-back, COMMIT.
/// A write that fails costs a second command, the ROLLBACK.
/// </summary>
internal sealed class SqliteArchiveAccountStore(SqliteCommandRunner runner, TimeProvider timeProvider) : IArchiveAccountStore
{
    private const string LiveAccountFilter = "a.CustomerId = @CustomerId AND a.AccountStatus <> 2";

    private const string AccountIdOf = "(SELECT AccountId FROM ArchiveAccount WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId)";

    // Guards shared by create and update: the user name and each alias must be free among the
    // customer's live accounts other than this one (for a create, "this one" does not exist yet).
    private const string UserNameGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.UserNameTakenCode}, '') FROM ArchiveAccount
        WHERE CustomerId = @CustomerId AND UserName = @UserName AND AccountStatus <> 2 AND VaultEntryId <> @VaultEntryId
        LIMIT 1;
        """;

    private const string AliasGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.AliasTakenCode}, l.SmtpAddress)
        FROM json_each(@AliasesJson) AS j
        JOIN ArchiveAccountAlias AS l
          ON l.CustomerId = @CustomerId AND l.SmtpAddress = j.value AND l.RemovedUtc IS NULL
        WHERE l.AccountId IS NOT {AccountIdOf}
        ORDER BY j.key
        LIMIT 1;
        """;

    private const string LiveAccountGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.NotFoundCode}, '')
        WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccount AS a WHERE {LiveAccountFilter} AND a.VaultEntryId = @VaultEntryId);
        """;

    private const string AddNewAliases = $"""
        INSERT INTO ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc)
        SELECT {AccountIdOf}, @CustomerId, j.value, 3, @Now
        FROM json_each(@AliasesJson) AS j
        WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccountAlias AS l
                          WHERE l.AccountId = {AccountIdOf} AND l.RemovedUtc IS NULL AND l.SmtpAddress = j.value)
        ORDER BY j.key;
        """;

    private const string AppendAudit = """
        INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, Outcome, CorrelationId)
        VALUES (@Now, @TenantKey, @CustomerId, @Operation, @VaultEntryId, @Outcome, @CorrelationId);
        """;

    private const string ReadBack = $"SELECT {AccountRows.Columns} FROM {AccountRows.From} WHERE a.VaultEntryId = @VaultEntryId;";

    private const string CreateSql = $"""
        PRAGMA synchronous = FULL;
        BEGIN IMMEDIATE;
        SELECT scim_fail({SqliteCommandRunner.TenantNotFoundCode}, '')
        WHERE NOT EXISTS (SELECT 1 FROM Customer WHERE CustomerId = @CustomerId);
        {UserNameGuard}
        {AliasGuard}
        INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName,
            DisplayName, AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
        VALUES (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName,
            @DisplayName, @AccountStatus, 3, 1, @Now, @Now);
        INSERT INTO Archive (AccountId, ArchiveName, CreatedUtc) VALUES ({AccountIdOf}, @UserName, @Now);
        INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
        VALUES ({AccountIdOf}, @CustomerId, @ExternalId, @ScimAttributesJson, @Now, @Now);
        {AddNewAliases}
        {AppendAudit}
        {ReadBack}
        COMMIT;
        """;

    private const string UpdateSql = $"""
        PRAGMA synchronous = FULL;
        BEGIN IMMEDIATE;
        {LiveAccountGuard}
        SELECT scim_fail({SqliteCommandRunner.VersionMismatchCode}, '') FROM ArchiveAccount
        WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId AND Version <> @ExpectedVersion;
        {UserNameGuard}
        {AliasGuard}
        UPDATE ArchiveAccount
        SET UserName = @UserName, PrimarySmtpAddress = @PrimarySmtpAddress, FirstName = @FirstName,
            LastName = @LastName, DisplayName = @DisplayName, AccountStatus = @AccountStatus,
            Version = Version + 1, ModifiedUtc = @Now
        WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId;
        INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
        VALUES ({AccountIdOf}, @CustomerId, @ExternalId, @ScimAttributesJson, @Now, @Now)
        ON CONFLICT (AccountId) DO UPDATE
        SET ExternalId = excluded.ExternalId, ScimAttributesJson = excluded.ScimAttributesJson, ModifiedUtc = excluded.ModifiedUtc;
        UPDATE ArchiveAccountAlias SET RemovedUtc = @Now
        WHERE AccountId = {AccountIdOf} AND RemovedUtc IS NULL
          AND SmtpAddress NOT IN (SELECT value FROM json_each(@AliasesJson));
        {AddNewAliases}
        {AppendAudit}
        {ReadBack}
        COMMIT;
        """;

    private const string DeleteSql = $"""
        PRAGMA synchronous = FULL;
        BEGIN IMMEDIATE;
        {LiveAccountGuard}
        SELECT scim_fail({SqliteCommandRunner.VersionMismatchCode}, '') FROM ArchiveAccount
        WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId
          AND @ExpectedVersion IS NOT NULL AND Version <> @ExpectedVersion;
        UPDATE ArchiveAccountAlias SET RemovedUtc = @Now WHERE AccountId = {AccountIdOf} AND RemovedUtc IS NULL;
        UPDATE ArchiveAccount SET AccountStatus = 2, Version = Version + 1, ModifiedUtc = @Now
        WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId;
        {AppendAudit}
        COMMIT;
        """;

    private const string GetSql = $"SELECT {AccountRows.Columns} FROM {AccountRows.From} WHERE {LiveAccountFilter} AND a.VaultEntryId = @VaultEntryId;";

    private const string FindByUserNameSql = $"SELECT {AccountRows.Columns} FROM {AccountRows.From} WHERE {LiveAccountFilter} AND a.UserName = @UserName;";

    private const string FindByExternalIdSql = $"""
        SELECT {AccountRows.Columns} FROM {AccountRows.From}
        WHERE {LiveAccountFilter} AND m.CustomerId = @CustomerId AND m.ExternalId = @ExternalId
        ORDER BY a.AccountId LIMIT 1;
        """;

    private const string FindByPrimarySmtpSql = $"""
        SELECT {AccountRows.Columns} FROM {AccountRows.From}
        WHERE {LiveAccountFilter} AND a.PrimarySmtpAddress = @SmtpAddress
        ORDER BY a.VaultEntryId;
        """;

    public async Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var parameters = WriteParameters(customerId, NewVaultEntryId(), state, expectedVersion: 0, audit, AuditOperations.CreateUser);
        var rows = await runner.QueryAsync("create_account", CreateSql, parameters, AccountRows.Map, cancellationToken);
        return rows.Single();
    }

    public async Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("get_account", GetSql, new { CustomerId = customerId, VaultEntryId = vaultEntryId }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("find_account_by_username", FindByUserNameSql, new { CustomerId = customerId, UserName = userName }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("find_account_by_externalid", FindByExternalIdSql, new { CustomerId = customerId, ExternalId = externalId }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<ArchiveAccount>> FindByPrimarySmtpAddressAsync(int customerId, string smtpAddress, CancellationToken cancellationToken)
        => await runner.QueryAsync("find_account_by_primary_smtp", FindByPrimarySmtpSql, new { CustomerId = customerId, SmtpAddress = smtpAddress }, AccountRows.Map, cancellationToken);

    public async Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var built = AccountQueryBuilder.Build(customerId, query);
        var rows = await runner.QueryAsync("query_accounts", built.Sql, built.ToDapperParameters(), AccountQueryBuilder.MapRow, cancellationToken);
        var total = rows.Count == 0 ? 0 : rows[0].TotalResults;
        return new ArchiveAccountPage(total, [.. rows.Where(row => row.Account is not null).Select(row => row.Account!)]);
    }

    public async Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var parameters = WriteParameters(customerId, vaultEntryId, state, expectedVersion, audit, AuditOperations.UpdateUser);
        var rows = await runner.QueryAsync("update_account", UpdateSql, parameters, AccountRows.Map, cancellationToken);
        return rows.Single();
    }

    public async Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var parameters = new
        {
            CustomerId = customerId,
            VaultEntryId = vaultEntryId,
            ExpectedVersion = expectedVersion,
            Now = SqliteTimestamps.ToText(timeProvider.GetUtcNow()),
            audit.TenantKey,
            audit.CorrelationId,
            Operation = AuditOperations.DeleteUser,
            Outcome = AuditOperations.Succeeded,
        };
        await runner.ExecuteAsync("delete_account", DeleteSql, parameters, cancellationToken);
    }

    /// <summary>A new SCIM id: time-ordered, so the default order (by id) is roughly creation order.</summary>
    internal static string NewVaultEntryId() => Guid.CreateVersion7().ToString("N").ToUpperInvariant();

    private object WriteParameters(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state.UserName);
        var aliases = (state.Aliases ?? []).Distinct(AsciiCaseInsensitiveComparer.Instance).ToList();
        return new
        {
            CustomerId = customerId,
            VaultEntryId = vaultEntryId,
            ExpectedVersion = expectedVersion,
            state.UserName,
            state.PrimarySmtpAddress,
            state.FirstName,
            state.LastName,
            state.DisplayName,
            AccountStatus = (int)(state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled),
            state.ExternalId,
            state.ScimAttributesJson,
            AliasesJson = AccountRows.ToJson(aliases),
            Now = SqliteTimestamps.ToText(timeProvider.GetUtcNow()),
            audit.TenantKey,
            audit.CorrelationId,
            Operation = operation,
            Outcome = AuditOperations.Succeeded,
        };
    }
}
