using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Archive.Sqlite;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Diagnostics;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Benchmarks.Archive;

/// <summary>
/// Entra's filters through the whole query path (planner, one store call, evaluator) on the
/// embedded store at 1,000 and 100,000 accounts: an index seek costs the same at both sizes.
/// The set-up prints SQLite's EXPLAIN QUERY PLAN of the store's statements for these filters.
/// Run: dotnet run -c Release --project tests/Veritas.Scim.Benchmarks -- --filter *EntraFilter*
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class EntraFilterBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "veritas-entra-filter-bench", Guid.NewGuid().ToString("N"));

    private ScimUserService _users = null!;
    private ScimTenantContext _tenant = null!;
    private string _connectionString = null!;
    private string _middleId = null!;

    [Params(1_000, 100_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var options = new SqliteArchiveStoreOptions { DataSource = Path.Combine(_directory, "bench.db") };
        var database = new SqliteArchiveDatabase(options);
        await database.InitializeAsync(CancellationToken.None);
        var customerId = (await database.Tenants.AddTenantAsync("bench", "Bench Customer", CancellationToken.None)).CustomerId;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = options.DataSource }.ToString();
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var seed = connection.CreateCommand();
            seed.CommandText = """
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $accounts)
                INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
                    AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
                SELECT $customer, printf('%032X', i), printf('user%d@bench.example', i), printf('user%d@bench.example', i),
                    'First', 'Last', 'Display', 0, 3, 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z' FROM n;
                INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
                SELECT AccountId, CustomerId, 'ext-' || substr(UserName, 5, instr(UserName, '@') - 5), '{}', CreatedUtc, ModifiedUtc
                FROM ArchiveAccount WHERE CustomerId = $customer;
                COMMIT;
                """;
            seed.Parameters.AddWithValue("$accounts", Accounts);
            seed.Parameters.AddWithValue("$customer", customerId);
            await seed.ExecuteNonQueryAsync();
        }

        _middleId = (Accounts / 2).ToString("X32", CultureInfo.InvariantCulture);
        _users = new ScimUserService(database.Accounts, new UserMapper(new EmailAliasOptions()), new ProvisioningMetrics(new UnscopedMeterFactory()));
        _tenant = new ScimTenantContext("bench", customerId, "https://bench.example/scim/bench/v2", "00-bench-01");
        PrintQueryPlans();
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<ScimUserPage> UserNameEq() => Query($"userName eq \"USER{Accounts / 2}@bench.example\"");

    [Benchmark]
    public Task<ScimUserPage> ExternalIdEq() => Query($"externalId eq \"ext-{Accounts / 2}\"");

    [Benchmark]
    public Task<ScimUserPage> IdEq() => Query($"id eq \"{_middleId}\"");

    [Benchmark]
    public Task<ScimUserPage> WorkEmailEq() => Query($"emails[type eq \"work\"].value eq \"user{Accounts / 2}@bench.example\"");

    [Benchmark]
    public Task<ScimUserPage> UserNameAndExternalIdEq() => Query($"userName eq \"user{Accounts / 2}@bench.example\" and externalId eq \"ext-{Accounts / 2}\"");

    private Task<ScimUserPage> Query(string filter) =>
        _users.QueryAsync(_tenant, ScimQuery.FromParameters(name => name == "filter" ? filter : null, UserSchemas.Resource), CancellationToken.None);

    /// <summary>The store's statements for Entra's lookups, as SQLite plans them at this size.</summary>
    private void PrintQueryPlans()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        var store = typeof(SqliteArchiveDatabase).Assembly.GetType("Veritas.Scim.Archive.Sqlite.SqliteArchiveAccountStore");
        var statements = store?.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.Name is "GetSql" or "FindByUserNameSql" or "FindByPrimarySmtpSql")
            .Select(field => (field.Name, Sql: (string)field.GetRawConstantValue()!))
            .ToList() ?? [];
        foreach (var (name, sql) in statements)
        {
            using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using var reader = explain.ExecuteReader();
            var steps = new List<string>();
            while (reader.Read())
            {
                steps.Add(reader.GetString(3));
            }

            Console.WriteLine($"// {Accounts} accounts, {name}: {string.Join(" | ", steps)}");
        }
    }

    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
        }
    }
}
