using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteArchiveDatabaseTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static readonly AuditContext Audit = new("sqlite-tests", "00-sqlite-correlation-01");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_is_seen_by_a_new_database_instance_over_the_same_file()
    {
        var customerId = await fixture.CreateCustomerAsync("Durable", Token);
        var created = await fixture.Accounts.CreateAsync(customerId, State("dur.able@example.test", ["dur.alias@example.test"]), Audit, Token);

        SqliteConnection.ClearAllPools();
        var reopened = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = fixture.DatabasePath });
        await reopened.InitializeAsync(Token);
        var read = await reopened.Accounts.GetAsync(customerId, created.VaultEntryId, Token);

        Assert.NotNull(read);
        Assert.Equal(created.Version, read.Version);
        Assert.Equal(["dur.alias@example.test"], read.Aliases);
    }

    [Fact]
    public async Task The_schema_is_versioned_in_wal_mode_and_initialising_again_changes_nothing()
    {
        await fixture.Database.InitializeAsync(Token);
        await fixture.Database.InitializeAsync(Token);

        await using var connection = fixture.OpenConnection();
        Assert.Equal(SqliteArchiveDatabase.SchemaVersion, await connection.ExecuteScalarAsync<int>("PRAGMA user_version;"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")).ToList();
        Assert.Equal(["Archive", "ArchiveAccount", "ArchiveAccountAlias", "AuditLog", "Customer", "CustomerDomain", "Tenant", "TenantToken", "UserMap"], tables);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), "veritas-sqlite-tests", Guid.NewGuid().ToString("N"), "newer.db");
        var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = path });
        await database.InitializeAsync(Token);
        await using (var connection = new SqliteConnection("Data Source=" + path))
        {
            await connection.ExecuteAsync($"PRAGMA user_version = {SqliteArchiveDatabase.SchemaVersion + 1};");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.InitializeAsync(Token));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_demo_seed_is_idempotent_and_leaves_pre_scim_accounts_to_adopt()
    {
        var first = await fixture.Database.SeedDemoAsync(Token);
        var second = await fixture.Database.SeedDemoAsync(Token);

        Assert.Equal(first, second);
        var alice = await fixture.Accounts.FindByUserNameAsync(first, "Alice.Adams@demo.example.com", Token);
        Assert.NotNull(alice);
        Assert.False(alice.HasUserMap);
        Assert.Equal(ProvisioningSource.DirectorySync, alice.Source);
        Assert.Equal(["alice@demo.example.com", "alice.adams@demo-archive.example.com"], alice.Aliases);
        Assert.Equal(AccountStatus.Disabled, (await fixture.Accounts.FindByUserNameAsync(first, "bob.brown@demo.example.com", Token))?.Status);
        Assert.Null(await fixture.Accounts.FindByUserNameAsync(first, "carol.clark@demo.example.com", Token));
        Assert.NotNull(await fixture.Accounts.FindByUserNameAsync(first, "dave.davis@demo.example.com", Token));
        var page = await fixture.Accounts.QueryAsync(first, new AccountQuery(null, null, false, 1, 10), Token);
        Assert.Equal(3, page.TotalResults);
        var carol = await fixture.ReadLegacyAccountAsync(first, "DE000000000000000000000000CA201C", Token);
        Assert.Equal(AccountStatus.Deleted, carol!.Status);
        Assert.Equal(["carol@demo.example.com"], carol.ReleasedAliases);
        await using var connection = fixture.OpenConnection();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM CustomerDomain WHERE CustomerId = @first;", new { first }));
    }

    [Fact]
    public async Task A_refused_write_is_one_command_and_leaves_the_writer_able_to_write()
    {
        var customerId = await fixture.CreateCustomerAsync("Rollback", Token);
        await fixture.Accounts.CreateAsync(customerId, State("rol.owner@example.test", ["rol.shared@example.test"]), Audit, Token);
        var spans = new ConcurrentQueue<string>();
        using var listener = Listen(spans);

        using (var root = new Activity("failed write").Start())
        {
            var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => fixture.Accounts.CreateAsync(customerId, State("rol.other@example.test", ["rol.shared@example.test"]), Audit, Token));
            Assert.Equal(ArchiveStoreError.AliasTaken, error.Error);
            Assert.Equal(["create_account"], SpansOf(spans, root.TraceId));
        }

        // The refusal rolled back only its own savepoint: the writer's next writes succeed.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await fixture.Accounts.CreateAsync(customerId, State($"rol.after{attempt}@example.test", []), Audit, Token);
        }

        Assert.Null(await fixture.Accounts.FindByUserNameAsync(customerId, "rol.other@example.test", Token));
    }

    [Fact]
    public async Task Letters_outside_ascii_are_compared_exactly_as_nocase_folds_ascii_only()
    {
        var customerId = await fixture.CreateCustomerAsync("Unicode", Token);
        await fixture.Accounts.CreateAsync(customerId, State("éva.écrit@example.test", []), Audit, Token);

        Assert.NotNull(await fixture.Accounts.FindByUserNameAsync(customerId, "éva.écrit@EXAMPLE.test", Token));
        Assert.Null(await fixture.Accounts.FindByUserNameAsync(customerId, "Éva.écrit@example.test", Token));
    }

    [Fact]
    public async Task Duplicate_aliases_in_a_state_are_stored_once()
    {
        var customerId = await fixture.CreateCustomerAsync("Duplicates", Token);

        var created = await fixture.Accounts.CreateAsync(customerId, State("dup.licate@example.test", ["dup@example.test", "DUP@example.test"]), Audit, Token);

        Assert.Equal(["dup@example.test"], created.Aliases);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_starts_writes_nothing()
    {
        var customerId = await fixture.CreateCustomerAsync("Cancelled", Token);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Accounts.CreateAsync(customerId, State("can.celled@example.test", []), Audit, cancelled.Token));

        Assert.Null(await fixture.Accounts.FindByUserNameAsync(customerId, "can.celled@example.test", Token));
        Assert.NotNull(await fixture.Accounts.CreateAsync(customerId, State("can.celled@example.test", []), Audit, Token));
    }

    private static ArchiveAccountState State(string userName, IReadOnlyList<string> aliases)
        => new(userName, userName, "First", "Last", "First Last", true, null, aliases, null);

    private static ActivityListener Listen(ConcurrentQueue<string> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArchiveStoreTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => spans.Enqueue(activity.TraceId + " " + activity.OperationName),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static string[] SpansOf(ConcurrentQueue<string> spans, ActivityTraceId traceId)
        => [.. spans.Where(span => span.StartsWith(traceId + " ", StringComparison.Ordinal)).Select(span => span[(span.IndexOf(' ', StringComparison.Ordinal) + 1)..])];
}
