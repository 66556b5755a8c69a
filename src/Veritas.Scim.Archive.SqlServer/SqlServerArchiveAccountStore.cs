using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Querying;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>The archive accounts in SQL Server: one stored-procedure call (one round trip) per method.</summary>
internal sealed class SqlServerArchiveAccountStore(SqlServerCommandRunner runner) : IArchiveAccountStore
{
    public async Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var call = new UserCreateCall(
            customerId,
            state.UserName,
            state.PrimarySmtpAddress,
            state.FirstName,
            state.LastName,
            state.DisplayName,
            state.Enabled,
            state.ExternalId,
            state.ScimAttributesJson,
            state.Aliases,
            audit.TenantKey,
            audit.CorrelationId,
            OtherWorkEmailsJson(state));
        return Written(await runner.QueryAsync<UserCreateCall, AccountRow>(call, cancellationToken));
    }

    /// <summary>The user map's other work addresses: a JSON array of strings, or null when there are none.</summary>
    private static string? OtherWorkEmailsJson(ArchiveAccountState state) =>
        state.OtherWorkEmails.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(state.OtherWorkEmails);

    public async Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken) =>
        SingleOrNone(await runner.QueryAsync<UserGetCall, AccountRow>(new UserGetCall(customerId, vaultEntryId), cancellationToken));

    public async Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken) =>
        SingleOrNone(await runner.QueryAsync<UserFindByUserNameCall, AccountRow>(new UserFindByUserNameCall(customerId, userName), cancellationToken));

    public async Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken) =>
        SingleOrNone(await runner.QueryAsync<UserFindByExternalIdCall, AccountRow>(new UserFindByExternalIdCall(customerId, externalId), cancellationToken));

    public async Task<IReadOnlyList<ArchiveAccount>> FindByWorkEmailAsync(int customerId, string smtpAddress, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync<UserFindByPrimarySmtpAddressCall, AccountRow>(
            new UserFindByPrimarySmtpAddressCall(customerId, smtpAddress), cancellationToken);
        return rows.Select(row => row.ToArchiveAccount()).ToList();
    }

    public Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken) =>
        runner.QueryPageAsync(AccountQueryBuilder.Build(customerId, query), cancellationToken);

    /// <remarks>One procedure call compares the alias rows itself and sets every column; <paramref name="asRead"/> would save no round trip.</remarks>
    public async Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken, ArchiveAccount? asRead = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(audit);
        var call = new UserUpdateCall(
            customerId,
            vaultEntryId,
            expectedVersion,
            state.UserName,
            state.PrimarySmtpAddress,
            state.FirstName,
            state.LastName,
            state.DisplayName,
            state.Enabled,
            state.ExternalId,
            state.ScimAttributesJson,
            state.Aliases,
            audit.TenantKey,
            audit.CorrelationId,
            OtherWorkEmailsJson(state));
        return Written(await runner.QueryAsync<UserUpdateCall, AccountRow>(call, cancellationToken));
    }

    /// <remarks>A procedure cannot call back into the gateway for the change: read, then write at the version read.</remarks>
    public Task<ArchiveAccountChange> ChangeAsync(int customerId, string vaultEntryId, Func<ArchiveAccount, ArchiveAccountState?> change, AuditContext audit, CancellationToken cancellationToken) =>
        OptimisticAccountChange.RunAsync(this, customerId, vaultEntryId, change, audit, cancellationToken);

    public Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return runner.ExecuteAsync(
            new UserDeleteCall(customerId, vaultEntryId, expectedVersion, audit.TenantKey, audit.CorrelationId),
            cancellationToken);
    }

    private static ArchiveAccount? SingleOrNone(IReadOnlyList<AccountRow> rows) =>
        rows.Count == 0 ? null : rows[0].ToArchiveAccount();

    private static ArchiveAccount Written(IReadOnlyList<AccountRow> rows) =>
        rows.Count == 1
            ? rows[0].ToArchiveAccount()
            : throw new InvalidOperationException($"The write procedure returned {rows.Count} rows instead of the written account.");
}
