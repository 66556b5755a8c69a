using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>The one writer: group commit, refusals that roll back only themselves, statistics that follow growth, shutdown.</summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly AuditContext Audit = new("writer-tests", "00-writer-correlation-01");

    private static readonly AsyncLocal<string?> RequestState = new();

    private readonly SqliteStoreFixture _fixture = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Statistics_follow_the_growth_of_the_tenant_while_the_store_runs()
    {
        var customerId = await _fixture.CreateCustomerAsync("Growth", Token);
        var writes = SqliteWriter.WritesPerOptimize + 50;

        await Parallel.ForAsync(0, writes, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Token }, async (i, ct) =>
            await _fixture.Accounts.CreateAsync(customerId, State($"grow{i}@example.test", [$"grow{i}.alias@example.test"]), Audit, ct));

        await using var connection = _fixture.OpenConnection();
        var stat = await connection.ExecuteScalarAsync<string>(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'ArchiveAccount' AND idx = 'UX_ArchiveAccount_Customer_UserName_Live';");
        Assert.NotNull(stat);
        Assert.True(long.Parse(stat.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= SqliteWriter.WritesPerOptimize, stat);
    }

    [Fact]
    public async Task In_one_batch_a_refusal_rolls_back_only_itself_and_every_other_write_commits()
    {
        var customerId = await _fixture.CreateCustomerAsync("Batch", Token);
        // Every third request takes a user name that another request of the storm also takes.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            try
            {
                await _fixture.Accounts.CreateAsync(customerId, State($"batch{(i % 3 == 0 ? 0 : i)}@example.test", [$"batch{i}.alias@example.test"]), Audit, Token);
                return (i, Error: (ArchiveStoreError?)null);
            }
            catch (ArchiveStoreException error)
            {
                return (i, Error: error.Error);
            }
        }));

        Assert.Equal(40 + 1, outcomes.Count(o => o.Error is null));
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(ArchiveStoreError.UserNameTaken, o.Error));
        await using var connection = _fixture.OpenConnection();
        Assert.Equal(41, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ArchiveAccount WHERE CustomerId = @customerId;", new { customerId }));
        // A refused request's alias was rolled back with it.
        Assert.Equal(41, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ArchiveAccountAlias WHERE CustomerId = @customerId;", new { customerId }));
        Assert.Equal(41, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM AuditLog WHERE TenantKey = 'writer-tests' AND Operation = 'CreateUser' AND CustomerId = @customerId;", new { customerId }));
    }

    [Fact]
    public async Task Changes_run_once_each_in_the_writer_so_concurrent_changes_of_one_account_all_commit()
    {
        // The read, the change and the write are one request of the one writer: no other write
        // comes between them, so none meets a VersionMismatch and none is computed twice.
        var customerId = await _fixture.CreateCustomerAsync("Changes", Token);
        var created = await _fixture.Accounts.CreateAsync(customerId, State("changes@example.test", []), Audit, Token);
        var runs = 0;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(mark => Task.Run(() => _fixture.Accounts.ChangeAsync(customerId, created.VaultEntryId, current =>
        {
            Interlocked.Increment(ref runs);
            return State("changes@example.test", []) with { DisplayName = current.DisplayName + "|" + mark };
        }, Audit, Token))));

        var final = await _fixture.Accounts.GetAsync(customerId, created.VaultEntryId, Token);
        Assert.Equal(40, runs);
        Assert.Equal(Enumerable.Range(0, 40), final!.DisplayName!.Split('|').Skip(1).Select(int.Parse).Order());
        Assert.Equal(created.Version + 40, final.Version);
        await using var connection = _fixture.OpenConnection();
        Assert.Equal(40, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM AuditLog WHERE TenantKey = 'writer-tests' AND Operation = 'UpdateUser' AND CustomerId = @customerId;", new { customerId }));
    }

    [Fact]
    public async Task In_one_batch_a_change_that_throws_fails_only_itself_and_every_other_change_commits()
    {
        // Sixty accounts changed at once, every third change refusing once it has read (as a 412 or
        // a 400 of the patch does): the refusals write nothing (no column, no alias, no audit row),
        // and the batches they were part of commit every other change.
        var customerId = await _fixture.CreateCustomerAsync("Refusing changes", Token);
        var accounts = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => _fixture.Accounts.CreateAsync(customerId, State($"refuse{i}@example.test", []), Audit, Token)));
        var outcomes = await Task.WhenAll(accounts.Select((account, i) => Task.Run(async () =>
        {
            try
            {
                await _fixture.Accounts.ChangeAsync(customerId, account.VaultEntryId, current =>
                    i % 3 == 0
                        ? throw new InvalidOperationException("refused")
                        : State(current.UserName, [$"refuse{i}.alias@example.test"]) with { DisplayName = "Changed" }, Audit, Token);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        })));

        Assert.Equal(40, outcomes.Count(written => written));
        for (var i = 0; i < accounts.Length; i++)
        {
            var read = await _fixture.Accounts.GetAsync(customerId, accounts[i].VaultEntryId, Token);
            Assert.Equal(outcomes[i] ? "Changed" : "First Last", read!.DisplayName);
            Assert.Equal(outcomes[i] ? [$"refuse{i}.alias@example.test"] : [], read.Aliases);
            Assert.Equal(accounts[i].Version + (outcomes[i] ? 1 : 0), read.Version);
        }

        await using var connection = _fixture.OpenConnection();
        Assert.Equal(40, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM AuditLog WHERE TenantKey = 'writer-tests' AND Operation = 'UpdateUser' AND CustomerId = @customerId;", new { customerId }));
    }

    [Fact]
    public async Task Every_commit_reports_its_duration_and_how_many_requests_shared_it()
    {
        // Forty creates and twenty refusals (a taken user name) at once: every request, refused or
        // not, is counted in the commit of the transaction it ran in.
        var customerId = await _fixture.CreateCustomerAsync("Commit metrics", Token);
        // The host's factory scopes each meter to itself, so the listener hears this test's store and no other.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var commits = new List<(string Instrument, double Value, object? System)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        await using (var database = new SqliteArchiveDatabase(_fixture.Options, metrics: new ArchiveStoreMetrics(meterFactory)))
        {
            await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
            {
                try
                {
                    await database.Accounts.CreateAsync(customerId, State($"commit{(i % 3 == 0 ? 0 : i)}@example.test", []), Audit, Token);
                }
                catch (ArchiveStoreException error) when (error.Error == ArchiveStoreError.UserNameTaken)
                {
                }
            }));
        }

        var requests = commits.Where(c => c.Instrument == ScimTelemetry.StoreCommitRequestsInstrument).ToList();
        var durations = commits.Where(c => c.Instrument == ScimTelemetry.StoreCommitDurationInstrument).ToList();
        Assert.Equal(60, requests.Sum(c => c.Value));
        Assert.All(requests, c => Assert.InRange(c.Value, 1, SqliteWriter.MaxBatchSize));
        Assert.Equal(requests.Count, durations.Count);
        Assert.All(durations, c => Assert.InRange(c.Value, double.Epsilon, 60));
        Assert.All(commits, c => Assert.Equal(SqliteCommandRunner.DbSystem, c.System));

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            object? system = null;
            foreach (var tag in tags)
            {
                system = tag.Key == ScimTelemetry.DbSystemTag ? tag.Value : system;
            }

            lock (commits)
            {
                commits.Add((instrument.Name, value, system));
            }
        }
    }

    [Fact]
    public async Task The_writer_keeps_nothing_of_the_request_that_started_it()
    {
        // The first write starts the writer thread. Had the thread taken that request's execution
        // context, every later change would run with its stopped Activity and its AsyncLocals.
        var customerId = await _fixture.CreateCustomerAsync("Context", Token);
        await using var database = new SqliteArchiveDatabase(_fixture.Options);
        ArchiveAccount created;
        using (var firstRequest = new Activity("first request").Start())
        {
            RequestState.Value = "first request";
            created = await database.Accounts.CreateAsync(customerId, State("context@example.test", []), Audit, Token);
            RequestState.Value = null;
        }

        (Activity? Activity, string? State) seen = (null, "not run");
        await database.Accounts.ChangeAsync(customerId, created.VaultEntryId, current =>
        {
            seen = (Activity.Current, RequestState.Value);
            return null;
        }, Audit, Token);

        Assert.Null(seen.Activity);
        Assert.Null(seen.State);
    }

    [Fact]
    public async Task Disposing_the_database_runs_every_queued_write_before_it_closes()
    {
        var customerId = await _fixture.CreateCustomerAsync("Drain", Token);
        var database = new SqliteArchiveDatabase(_fixture.Options);
        var writes = Enumerable.Range(0, 200)
            .Select(i => database.Accounts.CreateAsync(customerId, State($"drain{i}@example.test", []), Audit, Token))
            .ToList();

        await database.DisposeAsync();

        // Every queued write ran (and succeeded) before the writer closed.
        Assert.Equal(200, (await Task.WhenAll(writes)).Length);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.Accounts.CreateAsync(customerId, State("late@example.test", []), Audit, Token));
        await using var connection = _fixture.OpenConnection();
        Assert.Equal(200, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ArchiveAccount WHERE CustomerId = @customerId;", new { customerId }));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_removed_and_writes_nothing()
    {
        var customerId = await _fixture.CreateCustomerAsync("Queued", Token);
        // Hold the writer: another connection keeps the write lock, so the queue backs up.
        await using var blocker = _fixture.OpenConnection();
        await blocker.ExecuteAsync("BEGIN IMMEDIATE;");
        var first = _fixture.Accounts.CreateAsync(customerId, State("queued.first@example.test", []), Audit, Token);
        await Task.Delay(200, Token); // the writer has taken the first and waits for the lock
        using var cancellation = new CancellationTokenSource();
        var second = _fixture.Accounts.CreateAsync(customerId, State("queued.second@example.test", []), Audit, cancellation.Token);
        await Task.Delay(200, Token);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await blocker.ExecuteAsync("COMMIT;");
        await first;

        Assert.Null(await _fixture.Accounts.FindByUserNameAsync(customerId, "queued.second@example.test", Token));
        Assert.NotNull(await _fixture.Accounts.FindByUserNameAsync(customerId, "queued.first@example.test", Token));
    }

    private static ArchiveAccountState State(string userName, IReadOnlyList<string> aliases)
        => new(userName, userName, "First", "Last", "First Last", true, null, aliases, null);
}
