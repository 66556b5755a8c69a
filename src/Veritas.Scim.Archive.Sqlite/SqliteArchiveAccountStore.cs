using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// <see cref="IArchiveAccountStore"/> on the embedded database. Every operation is one command
/// text (one span). A write is guards, changes, audit row and read-back, run by the one writer
/// in its own savepoint of a group-committed transaction; it completes after the COMMIT.
/// Every table access of these statements is pinned to its index (<see cref="SqliteIndexes"/>);
/// the alias input is walked once, as the outer loop (CROSS JOIN), with one seek per alias.
/// </summary>
internal sealed class SqliteArchiveAccountStore(SqliteCommandRunner runner, TimeProvider timeProvider) : IArchiveAccountStore
{
    private const string LiveAccountFilter = "a.CustomerId = @CustomerId AND a.AccountStatus <> 2";

    private const string AccountIdOf = $"(SELECT AccountId FROM ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId)";

    // Guards shared by create and update: the user name and each alias must be free among the
    // customer's live accounts other than this one (for a create, "this one" does not exist yet).
    private const string UserNameGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.UserNameTakenCode}, '') FROM ArchiveAccount INDEXED BY {SqliteIndexes.LiveAccountByUserName}
        WHERE CustomerId = @CustomerId AND UserName = @UserName AND AccountStatus <> 2 AND VaultEntryId <> @VaultEntryId
        LIMIT 1;
        """;

    private const string AliasGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.AliasTakenCode}, l.SmtpAddress)
        FROM json_each(@AliasesJson) AS j
        CROSS JOIN ArchiveAccountAlias AS l INDEXED BY {SqliteIndexes.LiveAliasByAddress}
        WHERE l.CustomerId = @CustomerId AND l.SmtpAddress = j.value AND l.RemovedUtc IS NULL
          AND l.AccountId IS NOT {AccountIdOf}
        ORDER BY j.key
        LIMIT 1;
        """;

    private const string LiveAccountGuard = $"""
        SELECT scim_fail({SqliteCommandRunner.NotFoundCode}, '')
        WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccount AS a INDEXED BY {SqliteIndexes.AccountByVaultEntryId}
                          WHERE a.VaultEntryId = @VaultEntryId AND {LiveAccountFilter});
        """;

    private const string AddNewAliases = $"""
        INSERT INTO ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc)
        SELECT {AccountIdOf}, @CustomerId, j.value, 3, @Now
        FROM json_each(@AliasesJson) AS j
        WHERE NOT EXISTS (SELECT 1 FROM ArchiveAccountAlias AS l INDEXED BY {SqliteIndexes.AliasByAccount}
                          WHERE l.AccountId = {AccountIdOf} AND l.RemovedUtc IS NULL AND l.SmtpAddress = j.value)
        ORDER BY j.key;
        """;

    // The userName is read after the change: the name the account has from this write on (kept by a delete).
    private const string AppendAudit = $"""
        INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, UserName, Outcome, CorrelationId)
        VALUES (@Now, @TenantKey, @CustomerId, @Operation, @VaultEntryId,
                (SELECT UserName FROM ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} WHERE VaultEntryId = @VaultEntryId), @Outcome, @CorrelationId);
        """;

    // The indexed columns are set only when their value changes (compared exactly: a change of
    // letter case is a change). An UPDATE that names a column rewrites every index on it whether or
    // not the value changed, and in a large tenant each is a page of its own to journal and sync.
    private const string SetChangedIndexedColumns = $"""
        UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} SET UserName = @UserName
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId AND UserName IS NOT @UserName COLLATE BINARY;
        UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} SET PrimarySmtpAddress = @PrimarySmtpAddress
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId AND PrimarySmtpAddress IS NOT @PrimarySmtpAddress COLLATE BINARY;
        UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} SET AccountStatus = @AccountStatus
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId AND AccountStatus IS NOT @AccountStatus;
        """;

    private const string ReadBack = $"SELECT {AccountRows.Columns} FROM {AccountRows.FromById} WHERE a.VaultEntryId = @VaultEntryId;";

    private const string CreateSql = $"""
        SELECT scim_fail({SqliteCommandRunner.TenantNotFoundCode}, '')
        WHERE NOT EXISTS (SELECT 1 FROM Customer WHERE CustomerId = @CustomerId);
        {UserNameGuard}
        {AliasGuard}
        INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName,
            DisplayName, AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
        VALUES (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName,
            @DisplayName, @AccountStatus, 3, 1, @Now, @Now);
        INSERT INTO Archive (AccountId, ArchiveName, CreatedUtc) VALUES (last_insert_rowid(), @UserName, @Now);
        INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, OtherWorkEmails, CreatedUtc, ModifiedUtc)
        VALUES ({AccountIdOf}, @CustomerId, @ExternalId, @ScimAttributesJson, @OtherWorkEmails, @Now, @Now);
        {AddNewAliases}
        {AppendAudit}
        {ReadBack}
        """;

    // An update: guards, the account's columns, its user map, its alias rows, audit, read-back.
    // One guard answers NotFound or VersionMismatch with one seek.
    private const string LiveAtVersionGuard = $"""
        SELECT scim_fail(CASE WHEN a.AccountId IS NULL THEN {SqliteCommandRunner.NotFoundCode} ELSE {SqliteCommandRunner.VersionMismatchCode} END, '')
        FROM (SELECT 1) LEFT JOIN ArchiveAccount AS a INDEXED BY {SqliteIndexes.AccountByVaultEntryId}
          ON a.VaultEntryId = @VaultEntryId AND {LiveAccountFilter}
        WHERE a.AccountId IS NULL OR a.Version <> @ExpectedVersion;
        """;

    private const string UpdateHead = $"""
        {LiveAtVersionGuard}
        {UserNameGuard}
        """;

    private const string UpdateColumns = $"""
        UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId}
        SET FirstName = @FirstName, LastName = @LastName, DisplayName = @DisplayName, Version = Version + 1, ModifiedUtc = @Now
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId;
        {SetChangedIndexedColumns}
        {WriteUserMap}
        """;

    // The user map is created on an account's first SCIM write (adoption); its externalId index
    // is rewritten only when the externalId changes.
    private const string WriteUserMap = $"""
        INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, OtherWorkEmails, CreatedUtc, ModifiedUtc)
        VALUES ({AccountIdOf}, @CustomerId, @ExternalId, @ScimAttributesJson, @OtherWorkEmails, @Now, @Now)
        ON CONFLICT (AccountId) DO UPDATE
        SET ScimAttributesJson = excluded.ScimAttributesJson, OtherWorkEmails = excluded.OtherWorkEmails, ModifiedUtc = excluded.ModifiedUtc;
        UPDATE UserMap SET ExternalId = @ExternalId WHERE AccountId = {AccountIdOf} AND ExternalId IS NOT @ExternalId COLLATE BINARY;
        """;

    private const string SyncAliases = $"""
        UPDATE ArchiveAccountAlias INDEXED BY {SqliteIndexes.AliasByAccount} SET RemovedUtc = @Now
        WHERE AccountId = {AccountIdOf} AND RemovedUtc IS NULL
          AND SmtpAddress NOT IN (SELECT value FROM json_each(@AliasesJson));
        {AddNewAliases}
        """;

    // The name after an update is @UserName: the audit row needs no read of it.
    private const string UpdateTail = $"""
        INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, UserName, Outcome, CorrelationId)
        VALUES (@Now, @TenantKey, @CustomerId, @Operation, @VaultEntryId, @UserName, @Outcome, @CorrelationId);
        {ReadBack}
        """;

    private const string UpdateSql = $"""
        {UpdateHead}
        {AliasGuard}
        {UpdateColumns}
        {SyncAliases}
        {UpdateTail}
        """;

    // An update of an account as the caller read it: a version mismatch refuses it, so when it runs
    // the row is the one read, and what the state changes is known before the statement is chosen.
    // Only the changed indexed columns are named, and the user-name guard, the user map's statements
    // and the alias statements run only when what they write changes.
    /// <summary>The command text of an update from the account as read, for each set of changes; built once.</summary>
    internal static readonly IReadOnlyList<string> UpdateFromReadTexts = [.. Enumerable.Range(0, (int)UpdateChanges.All + 1).Select(changes => UpdateFromRead((UpdateChanges)changes))];

    [Flags]
    internal enum UpdateChanges
    {
        None = 0,
        UserName = 1,
        PrimarySmtpAddress = 2,
        Status = 4,
        UserMap = 8,
        Aliases = 16,
        All = 31,
    }

    private static string UpdateFromRead(UpdateChanges changes)
    {
        string If(UpdateChanges change, string text) => changes.HasFlag(change) ? text : string.Empty;
        return $"""
            {LiveAtVersionGuard}
            {If(UpdateChanges.UserName, UserNameGuard)}
            {If(UpdateChanges.Aliases, AliasGuard)}
            UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId}
            SET FirstName = @FirstName, LastName = @LastName, DisplayName = @DisplayName{If(UpdateChanges.UserName, ", UserName = @UserName")}{If(UpdateChanges.PrimarySmtpAddress, ", PrimarySmtpAddress = @PrimarySmtpAddress")}{If(UpdateChanges.Status, ", AccountStatus = @AccountStatus")},
                Version = Version + 1, ModifiedUtc = @Now
            WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId;
            {If(UpdateChanges.UserMap, WriteUserMap)}
            {If(UpdateChanges.Aliases, SyncAliases)}
            {UpdateTail}
            """;
    }

    /// <summary>What <paramref name="state"/> changes of <paramref name="asRead"/>, compared as the statements compare.</summary>
    internal static UpdateChanges ChangesOf(ArchiveAccount asRead, ArchiveAccountState state)
    {
        var changes = UpdateChanges.None;
        if (!string.Equals(asRead.UserName, state.UserName, StringComparison.Ordinal))
        {
            changes |= UpdateChanges.UserName;
        }

        if (!string.Equals(asRead.PrimarySmtpAddress, state.PrimarySmtpAddress, StringComparison.Ordinal))
        {
            changes |= UpdateChanges.PrimarySmtpAddress;
        }

        if (asRead.Status != (state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled))
        {
            changes |= UpdateChanges.Status;
        }

        if (!asRead.HasUserMap || !string.Equals(asRead.ExternalId, state.ExternalId, StringComparison.Ordinal)
            || !string.Equals(asRead.ScimAttributesJson, state.ScimAttributesJson, StringComparison.Ordinal))
        {
            changes |= UpdateChanges.UserMap;
        }

        if (!SameAliases(state.Aliases ?? [], asRead.Aliases))
        {
            changes |= UpdateChanges.Aliases;
        }

        return changes;
    }

    private const string DeleteSql = $"""
        {LiveAccountGuard}
        SELECT scim_fail({SqliteCommandRunner.VersionMismatchCode}, '') FROM ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId}
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId
          AND @ExpectedVersion IS NOT NULL AND Version <> @ExpectedVersion;
        UPDATE ArchiveAccountAlias INDEXED BY {SqliteIndexes.AliasByAccount} SET RemovedUtc = @Now
        WHERE AccountId = {AccountIdOf} AND RemovedUtc IS NULL;
        UPDATE ArchiveAccount INDEXED BY {SqliteIndexes.AccountByVaultEntryId} SET AccountStatus = 2, Version = Version + 1, ModifiedUtc = @Now
        WHERE VaultEntryId = @VaultEntryId AND CustomerId = @CustomerId;
        {AppendAudit}
        """;

    private const string GetSql = $"SELECT {AccountRows.Columns} FROM {AccountRows.FromById} WHERE a.VaultEntryId = @VaultEntryId AND {LiveAccountFilter};";

    private const string FindByUserNameSql = $"""
        SELECT {AccountRows.Columns}
        FROM ArchiveAccount AS a INDEXED BY {SqliteIndexes.LiveAccountByUserName} LEFT JOIN UserMap AS m ON m.AccountId = a.AccountId
        WHERE {LiveAccountFilter} AND a.UserName = @UserName;
        """;

    // The user map is the outer loop (its externalId index), the account a seek by its rowid
    // (NOT INDEXED leaves only the rowid: no secondary index of the tenant can be chosen).
    private const string FindByExternalIdSql = $"""
        SELECT {AccountRows.Columns}
        FROM UserMap AS m INDEXED BY {SqliteIndexes.UserMapByExternalId} CROSS JOIN ArchiveAccount AS a NOT INDEXED ON a.AccountId = m.AccountId
        WHERE m.CustomerId = @CustomerId AND m.ExternalId = @ExternalId AND {LiveAccountFilter}
        ORDER BY a.AccountId LIMIT 1;
        """;

    // A work address is the primary SMTP column or one of the user map's other work addresses
    // (stored ASCII-lowered; lower() folds only ASCII, as NOCASE does). Few accounts have others:
    // the partial index lists just those of the tenant.
    private const string FindByWorkEmailSql = $"""
        SELECT {AccountRows.Columns}
        FROM ArchiveAccount AS a INDEXED BY {SqliteIndexes.AccountByPrimarySmtp} LEFT JOIN UserMap AS m ON m.AccountId = a.AccountId
        WHERE {LiveAccountFilter} AND a.PrimarySmtpAddress = @SmtpAddress
        UNION
        SELECT {AccountRows.Columns}
        FROM UserMap AS m INDEXED BY {SqliteIndexes.UserMapWithOtherWorkEmails} CROSS JOIN ArchiveAccount AS a NOT INDEXED ON a.AccountId = m.AccountId
        WHERE m.CustomerId = @CustomerId AND m.OtherWorkEmails IS NOT NULL AND {LiveAccountFilter}
          AND EXISTS (SELECT 1 FROM json_each(m.OtherWorkEmails) AS w WHERE w.value = lower(@SmtpAddress))
        ORDER BY 1;
        """;

    public async Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var arguments = WriteArguments(customerId, NewVaultEntryId(), state, expectedVersion: 0, audit, AuditOperations.CreateUser);
        var rows = await runner.WriteAsync("create_account", CreateSql, arguments, AccountRows.Map, cancellationToken);
        return rows.Single();
    }

    public async Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("get_account", GetSql, new() { { "VaultEntryId", vaultEntryId }, { "CustomerId", customerId } }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("find_account_by_username", FindByUserNameSql, new() { { "CustomerId", customerId }, { "UserName", userName } }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync("find_account_by_externalid", FindByExternalIdSql, new() { { "CustomerId", customerId }, { "ExternalId", externalId } }, AccountRows.Map, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<ArchiveAccount>> FindByWorkEmailAsync(int customerId, string smtpAddress, CancellationToken cancellationToken)
        => await runner.QueryAsync("find_account_by_work_email", FindByWorkEmailSql, new() { { "CustomerId", customerId }, { "SmtpAddress", smtpAddress } }, AccountRows.Map, cancellationToken);

    public async Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var built = AccountQueryBuilder.Build(customerId, query);
        var arguments = new StatementArguments(built.Parameters.Count);
        foreach (var (name, value) in built.Parameters)
        {
            arguments.Add(name, value);
        }

        var rows = await runner.QueryAsync("query_accounts", built.Sql, arguments, AccountQueryBuilder.MapRow, cancellationToken);
        var total = rows.Count == 0 ? 0 : rows[0].TotalResults;
        return new ArchiveAccountPage(total, [.. rows.Where(row => row.Account is not null).Select(row => row.Account!)]);
    }

    public async Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken, ArchiveAccount? asRead = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var arguments = WriteArguments(customerId, vaultEntryId, state, expectedVersion, audit, AuditOperations.UpdateUser);
        var sql = asRead is not null && asRead.Version == expectedVersion && asRead.VaultEntryId == vaultEntryId && asRead.CustomerId == customerId
            ? UpdateFromReadTexts[(int)ChangesOf(asRead, state)]
            : UpdateSql;
        var rows = await runner.WriteAsync("update_account", sql, arguments, AccountRows.Map, cancellationToken);
        return rows.Single();
    }

    /// <summary>
    /// Read, change and write in one savepoint of the writer: the change sees the account as the
    /// write finds it (no other write runs in between), so it never meets a VersionMismatch, and
    /// the read costs the writer's warm page cache instead of a reader's, which every commit
    /// invalidates.
    /// </summary>
    public Task<ArchiveAccountChange> ChangeAsync(int customerId, string vaultEntryId, Func<ArchiveAccount, ArchiveAccountState?> change, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(audit);
        var read = new StatementArguments { { "VaultEntryId", vaultEntryId }, { "CustomerId", customerId } };
        return runner.ReadAndWriteAsync("change_account", session =>
        {
            var current = session.Query(GetSql, read, AccountRows.Map).SingleOrDefault() ?? throw ArchiveStoreException.AccountNotFound(vaultEntryId);
            if (change(current) is not { } state)
            {
                return new ArchiveAccountChange(current, null, null);
            }

            var arguments = WriteArguments(customerId, vaultEntryId, state, current.Version, audit, AuditOperations.UpdateUser);
            var written = session.Query(UpdateFromReadTexts[(int)ChangesOf(current, state)], arguments, AccountRows.Map);
            return new ArchiveAccountChange(current, state, written.Single());
        }, cancellationToken);
    }

    /// <summary>The same set as this store's alias statements compare addresses (ASCII letters folded, as NOCASE does).</summary>
    private static bool SameAliases(IReadOnlyList<string> requested, IReadOnlyList<string> asRead)
    {
        var read = new HashSet<string>(asRead, AsciiCaseInsensitiveComparer.Instance);
        return read.Count == asRead.Count && read.SetEquals(requested);
    }

    public async Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var arguments = new StatementArguments
        {
            { "CustomerId", customerId },
            { "VaultEntryId", vaultEntryId },
            { "ExpectedVersion", expectedVersion },
            { "Now", SqliteTimestamps.ToText(timeProvider.GetUtcNow()) },
            { "TenantKey", audit.TenantKey },
            { "CorrelationId", audit.CorrelationId },
            { "Operation", AuditOperations.DeleteUser },
            { "Outcome", AuditOperations.Succeeded },
        };
        await runner.WriteAsync("delete_account", DeleteSql, arguments, static _ => 0, cancellationToken);
    }

    /// <summary>A new SCIM id: time-ordered, so the default order (by id) is roughly creation order.</summary>
    internal static string NewVaultEntryId() => Guid.CreateVersion7().ToString("N").ToUpperInvariant();

    private StatementArguments WriteArguments(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state.UserName);
        var aliases = (state.Aliases ?? []).Distinct(AsciiCaseInsensitiveComparer.Instance).ToList();
        return new StatementArguments(18)
        {
            { "CustomerId", customerId },
            { "VaultEntryId", vaultEntryId },
            { "ExpectedVersion", expectedVersion },
            { "UserName", state.UserName },
            { "PrimarySmtpAddress", state.PrimarySmtpAddress },
            { "FirstName", state.FirstName },
            { "LastName", state.LastName },
            { "DisplayName", state.DisplayName },
            { "AccountStatus", (int)(state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled) },
            { "ExternalId", state.ExternalId },
            { "ScimAttributesJson", state.ScimAttributesJson },
            { "OtherWorkEmails", state.OtherWorkEmails.Count == 0 ? null : AccountRows.ToJson(state.OtherWorkEmails) },
            { "AliasesJson", AccountRows.ToJson(aliases) },
            { "Now", SqliteTimestamps.ToText(timeProvider.GetUtcNow()) },
            { "TenantKey", audit.TenantKey },
            { "CorrelationId", audit.CorrelationId },
            { "Operation", operation },
            { "Outcome", AuditOperations.Succeeded },
        };
    }
}
