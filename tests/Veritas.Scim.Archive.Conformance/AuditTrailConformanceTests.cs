using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Conformance;

/// <summary>A store under test that can also read and prune its audit trail.</summary>
public interface IAuditTrailFixture : IArchiveStoreFixture
{
    IAuditTrailStore AuditTrail { get; }

    /// <summary>Moves every audit row of the tenant <paramref name="age"/> into the past, straight in the table.</summary>
    Task BackdateAuditAsync(string tenantKey, TimeSpan age, CancellationToken cancellationToken);
}

/// <summary>
/// What every store's audit trail must do: the rows each write appends are readable by tenant,
/// newest first, filtered and paged without gaps or repeats; pruning deletes only rows past the
/// cutoff, never more than a batch per call. Every test has a tenant key of its own.
/// </summary>
public abstract class AuditTrailConformanceTests(IAuditTrailFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IAuditTrailStore AuditTrail => fixture.AuditTrail;

    [Fact]
    public async Task Every_write_is_read_back_newest_first_with_its_operation_id_outcome_and_correlation()
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        var audit = new AuditContext(tenantKey, "4bf92f3577b34da6a3ce929d0e0e4736");
        var created = await fixture.Accounts.CreateAsync(customerId, State("au.read@example.test"), audit, Token);
        var updated = await fixture.Accounts.UpdateAsync(customerId, created.VaultEntryId, State("au.read@example.test", "Changed"), created.Version, audit with { CorrelationId = "00f067aa0ba902b700f067aa0ba902b7" }, Token);
        await fixture.Accounts.DeleteAsync(customerId, created.VaultEntryId, updated.Version, audit with { CorrelationId = "11f067aa0ba902b700f067aa0ba902b7" }, Token);

        var page = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, 10), Token);

        Assert.Null(page.Continuation);
        Assert.Equal([AuditOperations.DeleteUser, AuditOperations.UpdateUser, AuditOperations.CreateUser], page.Entries.Select(e => e.Operation));
        Assert.All(page.Entries, e =>
        {
            Assert.Equal(tenantKey, e.TenantKey);
            Assert.Equal(created.VaultEntryId, e.ScimId);
            Assert.Equal(AuditOperations.Succeeded, e.Outcome);
            Assert.InRange(e.OccurredUtc, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        });
        Assert.Equal(["11f067aa0ba902b700f067aa0ba902b7", "00f067aa0ba902b700f067aa0ba902b7", "4bf92f3577b34da6a3ce929d0e0e4736"], page.Entries.Select(e => e.CorrelationId));
        Assert.True(page.Entries.Select(e => e.AuditId).SequenceEqual(page.Entries.Select(e => e.AuditId).OrderDescending()));
    }

    [Fact]
    public async Task Filters_by_account_operation_and_time_and_never_show_another_tenants_rows()
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        var (otherKey, otherCustomer) = await NewTenantAsync();
        var first = await fixture.Accounts.CreateAsync(customerId, State("au.one@example.test"), new AuditContext(tenantKey, "a1"), Token);
        var second = await fixture.Accounts.CreateAsync(customerId, State("au.two@example.test"), new AuditContext(tenantKey, "a2"), Token);
        await fixture.Accounts.DeleteAsync(customerId, second.VaultEntryId, null, new AuditContext(tenantKey, "a3"), Token);
        await fixture.Accounts.CreateAsync(otherCustomer, State("au.other@example.test"), new AuditContext(otherKey, "b1"), Token);

        var byAccount = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, second.VaultEntryId, null, null, null, 10), Token);
        Assert.Equal([AuditOperations.DeleteUser, AuditOperations.CreateUser], byAccount.Entries.Select(e => e.Operation));

        var creates = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, AuditOperations.CreateUser, null, 10), Token);
        Assert.Equal([second.VaultEntryId, first.VaultEntryId], creates.Entries.Select(e => e.ScimId));

        var future = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, DateTimeOffset.UtcNow.AddHours(1), null, null, 10), Token);
        Assert.Empty(future.Entries);
        var past = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, DateTimeOffset.UtcNow.AddHours(-1), null, null, 10), Token);
        Assert.Equal(3, past.Entries.Count);

        Assert.DoesNotContain(past.Entries, e => e.CorrelationId == "b1");
        Assert.Empty((await AuditTrail.ReadAsync(new AuditQuery("no-such-tenant-" + Guid.NewGuid().ToString("N")[..8], null, null, null, null, 10), Token)).Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Pages_of_any_size_join_to_the_whole_trail_without_gaps_or_repeats(int limit)
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        for (var i = 0; i < 7; i++)
        {
            await fixture.Accounts.CreateAsync(customerId, State($"au.page{i}@example.test"), new AuditContext(tenantKey, "p" + i), Token);
        }

        var whole = (await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, AuditQuery.MaxLimit), Token)).Entries;
        var joined = new List<AuditEntry>();
        long? continuation = null;
        var pages = 0;
        do
        {
            var page = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, continuation, limit), Token);
            Assert.InRange(page.Entries.Count, 1, limit);
            joined.AddRange(page.Entries);
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(7, whole.Count);
        Assert.Equal(whole.Select(e => e.AuditId), joined.Select(e => e.AuditId));
        Assert.Equal((7 + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Prune_deletes_only_rows_past_the_cutoff_and_at_most_a_batch_per_call()
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        for (var i = 0; i < 5; i++)
        {
            await fixture.Accounts.CreateAsync(customerId, State($"au.old{i}@example.test"), new AuditContext(tenantKey, "old" + i), Token);
        }

        // Far older than any other test's rows, so a cutoff between the two touches only these.
        await fixture.BackdateAuditAsync(tenantKey, TimeSpan.FromDays(3650 * 2), Token);
        var fresh = await fixture.Accounts.CreateAsync(customerId, State("au.new@example.test"), new AuditContext(tenantKey, "new"), Token);
        var cutoff = DateTimeOffset.UtcNow.AddDays(-3650);

        var batches = new List<int>();
        int deleted;
        do
        {
            deleted = await AuditTrail.PruneAsync(cutoff, 2, Token);
            batches.Add(deleted);
        }
        while (deleted == 2);

        Assert.Equal([2, 2, 1], batches);
        var left = (await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, 10), Token)).Entries;
        Assert.Equal(fresh.VaultEntryId, Assert.Single(left).ScimId);
        Assert.Equal(0, await AuditTrail.PruneAsync(cutoff, 100, Token));
    }

    private async Task<(string TenantKey, int CustomerId)> NewTenantAsync()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var key = "audit-" + Guid.NewGuid().ToString("N")[..12];
        var tenant = await fixture.Tenants.AddTenantAsync(key, "Audit " + key, Token);
        return (key, tenant.CustomerId);
    }

    private static ArchiveAccountState State(string userName, string firstName = "Ada")
        => new(userName, userName, firstName, "Lovelace", firstName + " Lovelace", true, null, [], null);
}
