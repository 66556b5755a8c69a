using System.Globalization;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// A store double for the service's own logic (what it calls, when it writes). It is not a store
/// implementation: the real stores' semantics are proven by the conformance suite.
/// </summary>
internal sealed class RecordingArchiveStore : IArchiveAccountStore
{
    private readonly Dictionary<string, ArchiveAccount> _accounts = [];
    private int _next;

    public List<string> Calls { get; } = [];

    /// <summary>The state last written for each id (what a real store keeps beside the account, such as the other work addresses).</summary>
    public Dictionary<string, ArchiveAccountState> States { get; } = [];

    public Queue<ArchiveStoreException> NextWriteFailures { get; } = new();

    /// <summary>Runs between the service's read and its write, like a concurrent request would.</summary>
    public Action? BeforeUpdate { get; set; }

    public int Writes => Calls.Count(c => c is "create" or "update" or "delete");

    public ArchiveAccount Seed(string userName, string? primary = null, IReadOnlyList<string>? aliases = null, bool hasUserMap = false)
    {
        var id = (++_next).ToString("X32", CultureInfo.InvariantCulture);
        var account = new ArchiveAccount(id, 7, userName, primary, null, null, null, AccountStatus.Enabled, ProvisioningSource.Manual, null, aliases ?? [], null, hasUserMap, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        _accounts[id] = account;
        return account;
    }

    public ArchiveAccount this[string id] => _accounts[id];

    public void Bump(string id) => _accounts[id] = _accounts[id] with { Version = _accounts[id].Version + 1 };

    public Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken)
    {
        Calls.Add("create");
        ThrowIfFailing();
        var account = Apply(Seed(state.UserName), state);
        return Task.FromResult(account);
    }

    public Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken)
    {
        Calls.Add("get");
        return Task.FromResult(_accounts.GetValueOrDefault(vaultEntryId));
    }

    public Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken)
    {
        Calls.Add("findByUserName");
        return Task.FromResult(_accounts.Values.FirstOrDefault(a => string.Equals(a.UserName, userName, StringComparison.OrdinalIgnoreCase)));
    }

    public Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken)
    {
        Calls.Add("findByExternalId");
        return Task.FromResult(_accounts.Values.FirstOrDefault(a => a.ExternalId == externalId));
    }

    public Task<IReadOnlyList<ArchiveAccount>> FindByWorkEmailAsync(int customerId, string smtpAddress, CancellationToken cancellationToken)
    {
        Calls.Add("findByPrimarySmtpAddress");
        return Task.FromResult<IReadOnlyList<ArchiveAccount>>([.. _accounts.Values.Where(a => string.Equals(a.PrimarySmtpAddress, smtpAddress, StringComparison.OrdinalIgnoreCase))]);
    }

    public AccountQuery? LastQuery { get; private set; }

    public Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken)
    {
        Calls.Add("query");
        LastQuery = query;
        return Task.FromResult(new ArchiveAccountPage(_accounts.Count, [.. _accounts.Values]));
    }

    public Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken, ArchiveAccount? asRead = null)
    {
        Calls.Add("update");
        BeforeUpdate?.Invoke();
        ThrowIfFailing();
        var current = _accounts.GetValueOrDefault(vaultEntryId) ?? throw new ArchiveStoreException(ArchiveStoreError.NotFound, "not found");
        if (current.Version != expectedVersion)
        {
            throw new ArchiveStoreException(ArchiveStoreError.VersionMismatch, "version");
        }

        return Task.FromResult(Apply(current, state));
    }

    public Task<ArchiveAccountChange> ChangeAsync(int customerId, string vaultEntryId, Func<ArchiveAccount, ArchiveAccountState?> change, AuditContext audit, CancellationToken cancellationToken) =>
        OptimisticAccountChange.RunAsync(this, customerId, vaultEntryId, change, audit, cancellationToken);

    public Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken)
    {
        Calls.Add("delete");
        ThrowIfFailing();
        return _accounts.Remove(vaultEntryId) ? Task.CompletedTask : throw new ArchiveStoreException(ArchiveStoreError.NotFound, "not found");
    }

    private ArchiveAccount Apply(ArchiveAccount account, ArchiveAccountState state)
    {
        States[account.VaultEntryId] = state;
        var updated = account with
        {
            UserName = state.UserName,
            PrimarySmtpAddress = state.PrimarySmtpAddress,
            FirstName = state.FirstName,
            LastName = state.LastName,
            DisplayName = state.DisplayName,
            Status = state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled,
            ExternalId = state.ExternalId,
            Aliases = state.Aliases,
            ScimAttributesJson = state.ScimAttributesJson,
            HasUserMap = true,
            Version = account.Version + 1,
        };
        _accounts[account.VaultEntryId] = updated;
        return updated;
    }

    private void ThrowIfFailing()
    {
        if (NextWriteFailures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}
