using System.Globalization;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The embedded archive database: its schema, its development seed, and the two stores over it.
/// One instance per database file; it is thread-safe and meant to live as long as the process.
/// </summary>
public sealed class SqliteArchiveDatabase : IAsyncDisposable, IDisposable
{
    private readonly SqliteCommandRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly string? _directory;
    private readonly string _dataSource;

    /// <param name="metrics">Where the duration of each round trip goes; null when nothing observes the store.</param>
    public SqliteArchiveDatabase(SqliteArchiveStoreOptions options, TimeProvider? timeProvider = null, ArchiveStoreMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _runner = new SqliteCommandRunner(options, metrics);
        var dataSource = options.BuildConnectionStringBuilder().DataSource;
        _dataSource = dataSource;
        _directory = dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetDirectoryName(Path.GetFullPath(dataSource));
        Accounts = new SqliteArchiveAccountStore(_runner, _timeProvider);
        Tenants = new SqliteTenantStore(_runner, _timeProvider);
        AuditTrail = new SqliteAuditTrailStore(_runner);
    }

    /// <summary>The schema version this code creates and expects (<c>PRAGMA user_version</c>).</summary>
    public static int SchemaVersion => 3;

    public IArchiveAccountStore Accounts { get; }

    public ITenantStore Tenants { get; }

    public IAuditTrailStore AuditTrail { get; }

    /// <summary>
    /// Creates the database file, switches it to WAL, upgrades a database of an older schema version
    /// in place (Schema/Upgrade_N_to_M.sql, one transaction each) and creates what is missing of the schema.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_directory))
        {
            Directory.CreateDirectory(_directory);
        }

        var found = (await _runner.RunScriptAsync("read_schema_version", "SELECT user_version FROM pragma_user_version;", null, static reader => reader.GetInt32(0), cancellationToken)).Single();

        // Version 0 is a new file: Schema.sql creates the current version directly.
        for (var version = found; version is > 0 && version < SchemaVersion; version++)
        {
            var upgrade = string.Create(CultureInfo.InvariantCulture, $"Upgrade_{version}_to_{version + 1}.sql");
            await _runner.RunScriptAsync("upgrade_schema", ReadScript(upgrade), null, static _ => 0, cancellationToken);
        }

        await _runner.RunScriptAsync("initialize_schema", ReadScript("Schema.sql"), null, static _ => 0, cancellationToken);
    }

    /// <summary>
    /// Creates "Demo Customer" (domains demo.example.com and demo-archive.example.com) with four
    /// pre-SCIM accounts: alice.adams (two aliases), bob.brown (disabled), carol.clark (deleted)
    /// and dave.davis. Idempotent. Returns the customer's id.
    /// </summary>
    public async Task<int> SeedDemoAsync(CancellationToken cancellationToken)
    {
        var rows = await _runner.RunScriptAsync(
            "seed_demo",
            ReadScript("DemoSeed.sql"),
            new() { { "Now", SqliteTimestamps.ToText(_timeProvider.GetUtcNow()) } },
            static reader => reader.GetInt32(0),
            cancellationToken);
        return rows.Single();
    }

    /// <summary>The store's readiness probe, on the same connections.</summary>
    internal IArchiveHealthProbe HealthProbe => new SqliteArchiveHealthProbe(_runner);

    internal IArchiveStoreDiagnostics Diagnostics => new SqliteStoreDiagnostics(_runner, _dataSource);

    /// <summary>Every command text the store's connections hold prepared (for the plan tests).</summary>
    internal IReadOnlyCollection<string> PreparedCommandTexts => _runner.PreparedCommandTexts;

    /// <summary>Runs every write already queued, then closes the writer and the read connections.</summary>
    public ValueTask DisposeAsync() => _runner.DisposeAsync();

    public void Dispose() => _runner.Dispose();

    internal static string ReadScript(string name)
    {
        var assembly = typeof(SqliteArchiveDatabase).Assembly;
        using var stream = assembly.GetManifestResourceStream("Veritas.Scim.Archive.Sqlite.Schema." + name)
            ?? throw new InvalidOperationException("The embedded script " + name + " is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
