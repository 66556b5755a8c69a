using CsCheck;
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
/// What every store's audit trail must do: the rows each write appends (account writes, and tenant
/// and token changes) are readable by tenant, newest first, filtered (by SCIM id, or by the
/// userName an account had when the row was written, so a deleted account's history stays
/// findable) and paged without gaps or repeats; pruning deletes only rows past the cutoff, never
/// more than a batch per call. Every test has a tenant key of its own, whose first row is its AddTenant.
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
        Assert.Equal([AuditOperations.DeleteUser, AuditOperations.UpdateUser, AuditOperations.CreateUser, AuditOperations.AddTenant], page.Entries.Select(e => e.Operation));
        var userRows = page.Entries.Take(3).ToList();
        Assert.All(userRows, e =>
        {
            Assert.Equal(tenantKey, e.TenantKey);
            Assert.Equal(created.VaultEntryId, e.ScimId);
            Assert.Equal("au.read@example.test", e.UserName);
            Assert.Equal(AuditOperations.Succeeded, e.Outcome);
            Assert.InRange(e.OccurredUtc, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        });
        Assert.Equal(["11f067aa0ba902b700f067aa0ba902b7", "00f067aa0ba902b700f067aa0ba902b7", "4bf92f3577b34da6a3ce929d0e0e4736"], userRows.Select(e => e.CorrelationId));
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
        Assert.Equal(4, past.Entries.Count);

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
        // With the tenant's own AddTenant row, seven in all.
        for (var i = 0; i < 6; i++)
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
        // With the tenant's own AddTenant row, five old rows.
        for (var i = 0; i < 4; i++)
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

    [Fact]
    public async Task Tenant_and_token_changes_are_audited_and_a_refused_change_leaves_no_row()
    {
        var (tenantKey, _) = await NewTenantAsync();
        var token = await fixture.Tenants.AddTokenAsync(tenantKey, NewHash(), Token);
        await fixture.Tenants.RevokeTokenAsync(tenantKey, token.TokenId, Token);

        await Assert.ThrowsAsync<ArchiveStoreException>(() => fixture.Tenants.AddTenantAsync(tenantKey, "Audit again " + tenantKey, Token));
        await Assert.ThrowsAsync<ArchiveStoreException>(() => fixture.Tenants.RevokeTokenAsync(tenantKey, token.TokenId + 1_000_000, Token));
        var unknownTenant = "no-such-tenant-" + Guid.NewGuid().ToString("N")[..8];
        await Assert.ThrowsAsync<ArchiveStoreException>(() => fixture.Tenants.AddTokenAsync(unknownTenant, NewHash(), Token));

        var entries = (await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, 10), Token)).Entries;
        Assert.Equal([AuditOperations.RevokeToken, AuditOperations.AddToken, AuditOperations.AddTenant], entries.Select(e => e.Operation));
        Assert.All(entries, e =>
        {
            Assert.Equal(tenantKey, e.TenantKey);
            Assert.Null(e.ScimId);
            Assert.Null(e.UserName);
            Assert.Equal(AuditOperations.Succeeded, e.Outcome);
        });
        Assert.Empty((await AuditTrail.ReadAsync(new AuditQuery(unknownTenant, null, null, null, null, 10), Token)).Entries);
        var tokenRows = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, AuditOperations.AddToken, null, 10), Token);
        Assert.Equal(AuditOperations.AddToken, Assert.Single(tokenRows.Entries).Operation);
    }

    [Fact]
    public async Task A_deleted_or_renamed_accounts_rows_are_found_by_the_user_name_it_had_in_any_case()
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        var audit = new AuditContext(tenantKey, "n1");
        var leaver = await fixture.Accounts.CreateAsync(customerId, State("au.leaver@example.test"), audit, Token);
        await fixture.Accounts.DeleteAsync(customerId, leaver.VaultEntryId, null, audit, Token);
        var renamed = await fixture.Accounts.CreateAsync(customerId, State("au.before@example.test"), audit, Token);
        await fixture.Accounts.UpdateAsync(customerId, renamed.VaultEntryId, State("au.after@example.test"), renamed.Version, audit, Token);
        // Rehired under the leaver's name: a new account, whose rows the name finds as well.
        var rehired = await fixture.Accounts.CreateAsync(customerId, State("au.leaver@example.test"), audit, Token);

        Assert.Null(await fixture.Accounts.FindByUserNameAsync(customerId, "au.before@example.test", Token));
        var byLeaverName = await ReadByName("AU.Leaver@Example.Test");
        Assert.Equal(
            [(AuditOperations.CreateUser, rehired.VaultEntryId), (AuditOperations.DeleteUser, leaver.VaultEntryId), (AuditOperations.CreateUser, leaver.VaultEntryId)],
            byLeaverName.Select(e => (e.Operation, e.ScimId!)));
        Assert.All(byLeaverName, e => Assert.Equal("au.leaver@example.test", e.UserName, ignoreCase: true));
        Assert.Equal([AuditOperations.CreateUser], (await ReadByName("au.before@example.test")).Select(e => e.Operation));
        Assert.Equal([AuditOperations.UpdateUser], (await ReadByName("au.after@example.test")).Select(e => e.Operation));

        // An id and a name together: rows matching either, as `audit --user` asks.
        var either = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, renamed.VaultEntryId, null, null, null, 10) { UserName = renamed.VaultEntryId }, Token);
        Assert.Equal([AuditOperations.UpdateUser, AuditOperations.CreateUser], either.Entries.Select(e => e.Operation));
        Assert.Empty(await ReadByName("au.nobody@example.test"));

        async Task<IReadOnlyList<AuditEntry>> ReadByName(string userName) =>
            (await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, 10) { UserName = userName }, Token)).Entries;
    }

    /// <summary>
    /// Each selector (none, an id, a name in any letter case, both) has a statement of its own in a
    /// store, so every one is held to the same oracle: the tenant's whole trail, read unfiltered and
    /// filtered here, over generated combinations of selector, operation, time and page size.
    /// </summary>
    [Fact]
    public async Task Every_selector_filter_and_page_size_reads_what_the_whole_trail_filtered_in_memory_holds()
    {
        var (tenantKey, customerId) = await NewTenantAsync();
        var audit = new AuditContext(tenantKey, "sel");
        var names = new[] { "au.sel.a@example.test", "au.sel.b@example.test", "au.sel.c@example.test" };
        var ids = new List<string>();
        foreach (var name in names)
        {
            var account = await fixture.Accounts.CreateAsync(customerId, State(name), audit, Token);
            ids.Add(account.VaultEntryId);
            var renamed = await fixture.Accounts.UpdateAsync(customerId, account.VaultEntryId, State(name.Replace("@", ".renamed@", StringComparison.Ordinal)), account.Version, audit, Token);
            await fixture.Accounts.UpdateAsync(customerId, account.VaultEntryId, State(name), renamed.Version, audit, Token);
        }

        // The first name is reused by a new account after its first owner leaves.
        await fixture.Accounts.DeleteAsync(customerId, ids[0], null, audit, Token);
        ids.Add((await fixture.Accounts.CreateAsync(customerId, State(names[0], "Grace"), audit, Token)).VaultEntryId);
        var whole = (await AuditTrail.ReadAsync(new AuditQuery(tenantKey, null, null, null, null, AuditQuery.MaxLimit), Token)).Entries;
        Assert.Equal(1 + (3 * 3) + 2, whole.Count);

        var selectorIds = ids.Append("no-such-id").Cast<string?>().Append(null).ToArray();
        var selectorNames = names.Concat(names.Select(n => n.ToUpperInvariant())).Append("au.sel.a.renamed@example.test").Append("au.nobody@example.test").Cast<string?>().Append(null).ToArray();
        var operations = new string?[] { null, AuditOperations.CreateUser, AuditOperations.UpdateUser, AuditOperations.DeleteUser };
        var queries =
            from scimId in Gen.OneOfConst(selectorIds)
            from userName in Gen.OneOfConst(selectorNames)
            from operation in Gen.OneOfConst(operations)
            from sinceIndex in Gen.Int[-1, whole.Count - 1]
            from limit in Gen.Int[1, 6]
            select (scimId, userName, operation, Since: sinceIndex < 0 ? (DateTimeOffset?)null : whole[sinceIndex].OccurredUtc, limit);

        await queries.SampleAsync(
            async query =>
            {
                var expected = whole
                    .Where(e => (query.scimId is null && query.userName is null)
                        || (query.scimId is not null && e.ScimId == query.scimId)
                        || (query.userName is not null && string.Equals(e.UserName, query.userName, StringComparison.OrdinalIgnoreCase)))
                    .Where(e => query.operation is null || e.Operation == query.operation)
                    .Where(e => query.Since is null || e.OccurredUtc >= query.Since)
                    .Select(e => e.AuditId)
                    .ToList();
                var read = new List<long>();
                long? continuation = null;
                do
                {
                    var page = await AuditTrail.ReadAsync(new AuditQuery(tenantKey, query.scimId, query.Since, query.operation, continuation, query.limit) { UserName = query.userName }, Token);
                    Assert.True(page.Entries.Count <= query.limit);
                    read.AddRange(page.Entries.Select(e => e.AuditId));
                    continuation = page.Continuation;
                }
                while (continuation is not null);

                Assert.Equal(expected, read);
            },
            iter: 150);
    }

    private static byte[] NewHash() => System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray());

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
