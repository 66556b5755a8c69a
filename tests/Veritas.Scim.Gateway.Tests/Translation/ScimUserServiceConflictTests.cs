using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Aliases;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Gateway.Tests.Translation;

/// <summary>
/// The PATCH retry loop under a store that always reports a concurrent change: deterministic
/// counterpart of the end-to-end contention test, which only meets this under load.
/// </summary>
public sealed class ScimUserServiceConflictTests
{
    private static readonly ScimTenantContext Tenant = new("t", 1, "http://gateway/scim/t/v2", "correlation");

    private const string Body = """
        { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [ { "op": "Replace", "path": "displayName", "value": "New" } ] }
        """;

    [Fact]
    public async Task Patch_without_if_match_that_keeps_meeting_concurrent_changes_is_409_after_bounded_attempts()
    {
        var store = new AlwaysChangingStore();
        var service = new ScimUserService(store, new UserMapper(new EmailAliasOptions()));

        var error = await Assert.ThrowsAsync<ScimException>(() =>
            service.PatchAsync(Tenant, "ID1", (JsonObject)JsonNode.Parse(Body)!, ifMatch: null, TestContext.Current.CancellationToken));

        Assert.Equal(409, error.Status);
        Assert.Equal(ScimUserService.MaxPatchAttempts, store.Updates);
    }

    [Fact]
    public async Task Patch_with_a_matching_if_match_that_meets_a_concurrent_change_is_412_at_once()
    {
        var store = new AlwaysChangingStore();
        var service = new ScimUserService(store, new UserMapper(new EmailAliasOptions()));

        var error = await Assert.ThrowsAsync<ScimException>(() =>
            service.PatchAsync(Tenant, "ID1", (JsonObject)JsonNode.Parse(Body)!, ifMatch: "W/\"1\"", TestContext.Current.CancellationToken));

        Assert.Equal(412, error.Status);
        Assert.Equal(1, store.Updates);
    }

    private sealed class AlwaysChangingStore : IArchiveAccountStore
    {
        private static readonly ArchiveAccount Account = new(
            "ID1", 1, "user@contoso.example", "user@contoso.example", "Given", "Family", "Old", AccountStatus.Enabled,
            ProvisioningSource.Scim, null, [], null, HasUserMap: true, Version: 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        public int Updates { get; private set; }

        public Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken) => Task.FromResult<ArchiveAccount?>(Account);

        public Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken)
        {
            Updates++;
            throw new ArchiveStoreException(ArchiveStoreError.VersionMismatch, "changed");
        }

        public Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ArchiveAccount>> FindByPrimarySmtpAddressAsync(int customerId, string smtpAddress, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
