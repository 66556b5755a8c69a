using Veritas.Scim.Archive.Conformance;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>
/// A few end-to-end checks of the store against a real SQL Server (the conformance suite does the
/// rest). Without Docker or VERITAS_SCIM_TEST_SQLSERVER they are reported as skipped, with the reason.
/// </summary>
public sealed class SqlServerSmokeTests(SqlServerStoreFixture fixture) : IClassFixture<SqlServerStoreFixture>
{
    private static readonly AuditContext Audit = new("smoke", "0af7651916cd43dd8448eb211c80319c");

    [Fact]
    public async Task A_created_account_reads_back_by_id_and_by_user_name_in_any_case()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Smoke " + Guid.NewGuid(), token);

        var created = await fixture.Accounts.CreateAsync(customerId, State("Ann.Smoke@example.com", ["ann.s@example.com", "a.smoke@example.com"]), Audit, token);
        var byId = await fixture.Accounts.GetAsync(customerId, created.VaultEntryId, token);
        var byUserName = await fixture.Accounts.FindByUserNameAsync(customerId, "ann.smoke@EXAMPLE.com", token);

        Assert.Equal(ProvisioningSource.Scim, created.Source);
        Assert.True(created.HasUserMap);
        Assert.Equal(["ann.s@example.com", "a.smoke@example.com"], created.Aliases);
        Assert.Equal(created, byId);
        Assert.Equal(created.VaultEntryId, byUserName?.VaultEntryId);
        var legacy = await fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, token);
        Assert.Equal(1, legacy?.ArchiveCount);
        Assert.Equal(1, legacy?.AuditRows);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_user_name_give_exactly_one_account()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Race " + Guid.NewGuid(), token);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await fixture.Accounts.CreateAsync(customerId, State("race@example.com", []), Audit, token);
                return (ArchiveStoreError?)null;
            }
            catch (ArchiveStoreException exception)
            {
                return exception.Error;
            }
        }));

        Assert.Single(attempts, error => error is null);
        Assert.All(attempts.Where(error => error is not null), error => Assert.Equal(ArchiveStoreError.UserNameTaken, error));
    }

    [Fact]
    public async Task A_pre_existing_account_is_adopted_and_its_aliases_synced_in_one_write()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Adopt " + Guid.NewGuid(), token);
        var vaultEntryId = await fixture.InsertLegacyAccountAsync(customerId, new LegacyAccountSeed("bob@example.com", "bob@example.com", Aliases: ["old@example.com", "keep@example.com"]), token);

        var found = await fixture.Accounts.FindByUserNameAsync(customerId, "BOB@example.com", token);
        Assert.NotNull(found);
        Assert.False(found.HasUserMap);

        var updated = await fixture.Accounts.UpdateAsync(customerId, vaultEntryId, State("bob@example.com", ["keep@example.com", "new@example.com"]), found.Version, Audit, token);
        var stale = await Assert.ThrowsAsync<ArchiveStoreException>(() =>
            fixture.Accounts.UpdateAsync(customerId, vaultEntryId, State("bob@example.com", []), found.Version, Audit, token));

        Assert.True(updated.HasUserMap);
        Assert.NotEqual(found.Version, updated.Version);
        Assert.Equal(["keep@example.com", "new@example.com"], updated.Aliases);
        Assert.Equal(ArchiveStoreError.VersionMismatch, stale.Error);
        var legacy = await fixture.ReadLegacyAccountAsync(customerId, vaultEntryId, token);
        Assert.Equal(["old@example.com"], legacy?.ReleasedAliases);
    }

    private void SkipWithoutServer()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private static ArchiveAccountState State(string userName, IReadOnlyList<string> aliases) =>
        new(userName, userName, "Given", "Family", "Given Family", Enabled: true, ExternalId: "ext-" + userName, aliases, """{"emailAliases":"raw"}""");
}
