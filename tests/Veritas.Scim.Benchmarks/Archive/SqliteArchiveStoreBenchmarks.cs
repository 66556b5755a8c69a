using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Archive.Sqlite;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Benchmarks.Archive;

/// <summary>
/// The embedded store's operations on a temp-file database of 1,000 accounts (WAL,
/// synchronous=FULL, so every write waits for its fsync). Get by id is the baseline.
/// Run: dotnet run -c Release --project tests/Veritas.Scim.Benchmarks -- --filter *SqliteArchiveStore*
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class SqliteArchiveStoreBenchmarks
{
    private const int AccountCount = 1_000;

    private static readonly AuditContext Audit = new("bench", "00-benchmark-correlation-01");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "veritas-sqlite-bench", Guid.NewGuid().ToString("N"));
    private readonly AccountQuery _pageQuery = new(
        new AccountComparisonPredicate(AccountField.FirstName, AccountComparison.StartsWith, "Be"),
        AccountField.UserName,
        false,
        11,
        25);

    private IArchiveAccountStore _accounts = null!;
    private int _customerId;
    private ArchiveAccount _target = null!;
    private int _created;
    private bool _flip;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = Path.Combine(_directory, "bench.db") });
        await database.InitializeAsync(CancellationToken.None);
        _accounts = database.Accounts;
        _customerId = (await database.Tenants.AddTenantAsync("bench", "Bench Customer", CancellationToken.None)).CustomerId;
        for (var i = 0; i < AccountCount; i++)
        {
            var firstName = i % 4 == 0 ? "Bernard" : "Alex";
            await _accounts.CreateAsync(_customerId, State($"user{i:D4}@bench.example", firstName, [$"alias{i:D4}a@bench.example", $"alias{i:D4}b@bench.example"]), Audit, CancellationToken.None);
        }

        _target = (await _accounts.FindByUserNameAsync(_customerId, "user0500@bench.example", CancellationToken.None))!;
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<ArchiveAccount?> GetById() => _accounts.GetAsync(_customerId, _target.VaultEntryId, CancellationToken.None);

    [Benchmark]
    public Task<ArchiveAccount?> FindByUserName() => _accounts.FindByUserNameAsync(_customerId, "USER0500@bench.example", CancellationToken.None);

    [Benchmark]
    public Task<ArchiveAccountPage> QueryPage() => _accounts.QueryAsync(_customerId, _pageQuery, CancellationToken.None);

    [Benchmark]
    public Task<ArchiveAccount> Create()
    {
        var number = Interlocked.Increment(ref _created).ToString(CultureInfo.InvariantCulture);
        return _accounts.CreateAsync(_customerId, State("new" + number + "@bench.example", "Nina", ["new" + number + ".alias@bench.example"]), Audit, CancellationToken.None);
    }

    /// <summary>Each call adds one alias and releases another, as a typical Entra PATCH of proxyAddresses does.</summary>
    [Benchmark]
    public async Task<ArchiveAccount> UpdateWithAliases()
    {
        _flip = !_flip;
        string[] aliases = _flip
            ? ["alias0500a@bench.example", "alias0500c@bench.example"]
            : ["alias0500a@bench.example", "alias0500b@bench.example"];
        _target = await _accounts.UpdateAsync(_customerId, _target.VaultEntryId, State(_target.UserName, "Bernard", aliases), _target.Version, Audit, CancellationToken.None);
        return _target;
    }

    private static ArchiveAccountState State(string userName, string firstName, IReadOnlyList<string> aliases)
        => new(userName, userName, firstName, "Bench", firstName + " Bench", true, "ext-" + userName, aliases, "{\"emailAliases\":\"\"}");

    /// <summary>A short in-process job: the whole class runs in well under a few minutes on two cores.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
        }
    }
}
