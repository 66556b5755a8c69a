using System.Diagnostics;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// The SCIM User operations, translated into archive store calls (DESIGN.md §6). The host hands
/// over messages it has already read (a <see cref="ResourceBody"/>, a <see cref="PatchRequest"/>,
/// a <see cref="ScimQuery"/>). A refusal leaves as a <see cref="ScimException"/>, a store outcome
/// (user name or alias taken, not found, version mismatch) as the store's
/// <see cref="ArchiveStoreException"/>; the host maps both to SCIM errors in one place. Nothing is
/// half-applied, because every write is one store call.
/// </summary>
/// <param name="filterOptions">How far filters the archive cannot index are evaluated in memory; the defaults when null.</param>
public sealed class ScimUserService(IArchiveAccountStore store, UserMapper mapper, ProvisioningMetrics metrics, UserFilterOptions? filterOptions = null)
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    private readonly UserQueryRunner _queries = new(store, filterOptions ?? new UserFilterOptions());

    public async Task<ScimUserResult> CreateAsync(ScimTenantContext tenant, ResourceBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(body);
        var state = ScimTelemetry.Translate("User.create", () => mapper.ToState(body.Resource));
        var account = await metrics.SyncAliasesAsync([], state.Aliases, () => store.CreateAsync(tenant.CustomerId, state, Audit(tenant), cancellationToken));
        metrics.Provisioned(ProvisioningOutcome.Created);
        return Result(account, tenant);
    }

    public async Task<ScimUserResult> GetAsync(ScimTenantContext tenant, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return Result(await ReadAsync(tenant, id, cancellationToken), tenant);
    }

    public Task<ScimUserPage> QueryAsync(ScimTenantContext tenant, ScimQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(query);
        return _queries.QueryAsync(tenant, query, cancellationToken);
    }

    public async Task<ScimUserResult> ReplaceAsync(ScimTenantContext tenant, string id, ResourceBody body, EntityPreconditions? preconditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(body);
        var state = ScimTelemetry.Translate("User.replace", () => mapper.ToState(body.Resource));
        return await WriteAsync(tenant, id, preconditions, _ => state, cancellationToken);
    }

    public async Task<ScimUserResult> PatchAsync(ScimTenantContext tenant, string id, PatchRequest request, EntityPreconditions? preconditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(request);
        return await WriteAsync(
            tenant,
            id,
            preconditions,
            currentResource => ScimTelemetry.Translate("User.patch", () =>
            {
                var patched = PatchInterpreter.Apply(currentResource, request.Operations, User);
                return patched.Changed ? mapper.ToState(patched.Resource) : null;
            }),
            cancellationToken);
    }

    public async Task DeleteAsync(ScimTenantContext tenant, string id, EntityPreconditions? preconditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        long? expectedVersion = null;
        if (preconditions is not null)
        {
            var current = await ReadAsync(tenant, id, cancellationToken);
            preconditions.ThrowIfNotMet(UserMapper.ETagFor(current));
            expectedVersion = current.Version;
        }

        await store.DeleteAsync(tenant.CustomerId, id, expectedVersion, Audit(tenant), cancellationToken);
        metrics.Provisioned(ProvisioningOutcome.Deleted);
    }

    /// <summary>
    /// Computes the new state from the account as the store holds it when it writes, and writes
    /// it (<see cref="IArchiveAccountStore.ChangeAsync"/>). A state equal to the current one
    /// writes nothing. The preconditions are checked against each version the change sees. When
    /// concurrent changes win every attempt of an optimistic store, the answer is a conflict,
    /// unless the client pinned a version with If-Match, which then fails with 412.
    /// </summary>
    private async Task<ScimUserResult> WriteAsync(ScimTenantContext tenant, string id, EntityPreconditions? preconditions, Func<JsonObject, ArchiveAccountState?> compute, CancellationToken cancellationToken)
    {
        // The change may run on the store's writer thread: its spans are parented explicitly.
        var caller = Activity.Current;
        ArchiveAccount? seen = null;
        ArchiveAccountState? wanted = null;
        JsonObject? seenResource = null;
        ArchiveAccountState? Change(ArchiveAccount current) => ScimTelemetry.InActivityOf(caller, () =>
        {
            (seen, wanted) = (current, null);
            preconditions?.ThrowIfNotMet(UserMapper.ETagFor(current));

            // Mapped once: the patch applies to it, the no-change check compares with it, a no-op returns it.
            seenResource = UserMapper.ToResource(current, tenant.BaseUrl);
            var state = compute(seenResource);
            if (state is null || (current.HasUserMap && !ColumnsDiffer(state, current) && SameState(state, mapper.ToState(seenResource))))
            {
                return null;
            }

            wanted = state;
            return state;
        });

        ArchiveAccountChange change;
        try
        {
            change = await metrics.SyncChangedAliasesAsync(
                () => store.ChangeAsync(tenant.CustomerId, id, Change, Audit(tenant), cancellationToken),
                () => seen is not null && wanted is not null ? (seen.Aliases, wanted.Aliases) : null);
        }
        catch (ArchiveStoreException ex) when (ex.Error == ArchiveStoreError.VersionMismatch && preconditions?.PinsVersion != true)
        {
            // The client gave no If-Match, so running out of attempts is a conflict, not a 412.
            throw new ScimException(409, null, "The user was changed by concurrent requests while this one was applied; retry.");
        }

        if (change.After is not { } updated)
        {
            return new ScimUserResult(change.Before.VaultEntryId, new UserResource(seenResource!), UserMapper.ETagFor(change.Before));
        }

        metrics.Provisioned(ScimTelemetry.UpdateOutcome(change.Before, change.State!), adopted: !change.Before.HasUserMap);
        return Result(updated, tenant);
    }

    private async Task<ArchiveAccount> ReadAsync(ScimTenantContext tenant, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(tenant.CustomerId, id, cancellationToken) ?? throw ArchiveStoreException.AccountNotFound(id);

    private static ScimUserResult Result(ArchiveAccount account, ScimTenantContext tenant) =>
        new(account.VaultEntryId, new UserResource(account, tenant.BaseUrl), UserMapper.ETagFor(account));

    private static AuditContext Audit(ScimTenantContext tenant) => new(tenant.TenantKey, tenant.CorrelationId);

    /// <summary>
    /// The columns the current resource shows exactly as the account holds them (the mapper
    /// overlays them): when one of them differs, the state is a change, and the current state
    /// need not be mapped again to find that out.
    /// </summary>
    private static bool ColumnsDiffer(ArchiveAccountState state, ArchiveAccount current) =>
        !string.Equals(state.UserName, current.UserName, StringComparison.Ordinal)
        || !string.Equals(state.DisplayName, current.DisplayName, StringComparison.Ordinal)
        || !string.Equals(state.FirstName, current.FirstName, StringComparison.Ordinal)
        || !string.Equals(state.LastName, current.LastName, StringComparison.Ordinal)
        || !string.Equals(state.ExternalId, current.ExternalId, StringComparison.Ordinal)
        || state.Enabled != (current.Status == AccountStatus.Enabled);

    private static bool SameState(ArchiveAccountState left, ArchiveAccountState right) =>
        left with { Aliases = [] } == right with { Aliases = [] } && left.Aliases.SequenceEqual(right.Aliases, StringComparer.Ordinal);
}
