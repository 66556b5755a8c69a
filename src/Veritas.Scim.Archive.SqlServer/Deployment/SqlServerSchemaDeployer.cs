using System.Reflection;
using System.Text.RegularExpressions;
using DbUp;
using DbUp.Engine;
using DbUp.Support;
using Microsoft.Data.SqlClient;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>What a deployment did.</summary>
/// <param name="ScriptsRun">The scripts executed this time (journaled scripts run once; procedures and views every time).</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="FailedScript">The script that failed, if one did.</param>
/// <param name="Report">What the archive check found (before the deployment, and after it), or null when it did not get that far.</param>
public sealed record SchemaDeployResult(bool Successful, IReadOnlyList<string> ScriptsRun, string? Error, string? FailedScript, ArchiveSchemaReport? Report = null);

/// <summary>One script the deployer will offer to DbUp.</summary>
/// <param name="Name">The name the journal records, e.g. "scim.migrations.0002_Tables.sql".</param>
/// <param name="RunAlways">Views and procedures (CREATE OR ALTER) run on every deployment; tables run once.</param>
public sealed record PlannedScript(string Name, int RunGroup, bool RunAlways);

/// <summary>
/// Deploys the adapter schema <c>scim</c> with DbUp from the scripts embedded in this assembly:
/// idempotent and journaled in <c>scim.SchemaVersions</c>, all scripts in one transaction (a
/// failed deployment leaves the previous version whole, and calls in flight see either version,
/// never a mix). Before it trusts a production archive it compares the dbo tables with what the
/// procedures rely on (<see cref="ArchiveSchemaInspector"/>) and refuses on any error; after it,
/// it checks the deployed modules too. The production deployment never touches dbo objects; the
/// development deployment (<c>includeLegacy</c>) also creates the database when missing, the
/// legacy dbo tables and the demo seed, and switches READ_COMMITTED_SNAPSHOT on.
/// </summary>
public static partial class SqlServerSchemaDeployer
{
    public const string SchemaName = "scim";
    public const string JournalTable = "SchemaVersions";

    private const string ResourcePrefix = "Veritas.Scim.Archive.SqlServer.sql.";
    private const string SchemaScript = "scim.migrations.0001_Schema.sql";
    private const string LegacyPrefix = "legacy.";
    private const string MigrationsPrefix = "scim.migrations.";
    private const string ProgrammabilityPrefix = "scim.programmability.";

    private static Assembly ScriptAssembly => typeof(SqlServerSchemaDeployer).Assembly;

    /// <summary>The scripts a deployment offers DbUp, in the order it runs them (the schema script is run before, by the deployer).</summary>
    public static IReadOnlyList<PlannedScript> PlannedScripts(bool includeLegacy) =>
        ScriptAssembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(resource => resource[ResourcePrefix.Length..])
            .Where(name => name != SchemaScript)
            .Select(name => name switch
            {
                _ when name.StartsWith(LegacyPrefix, StringComparison.Ordinal) => includeLegacy ? new PlannedScript(name, 1, RunAlways: false) : null,
                _ when name.StartsWith(MigrationsPrefix, StringComparison.Ordinal) => new PlannedScript(name, 2, RunAlways: false),
                _ when name.StartsWith(ProgrammabilityPrefix, StringComparison.Ordinal) => new PlannedScript(name, 3, RunAlways: true),
                _ => throw new InvalidOperationException($"The embedded script {name} is in no known folder."),
            })
            .OfType<PlannedScript>()
            .OrderBy(script => script.RunGroup)
            .ThenBy(script => script.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Deploys (or brings up to date) the scim schema, and with <paramref name="includeLegacy"/> the development legacy tables and seed.</summary>
    public static Task<SchemaDeployResult> DeployAsync(string connectionString, bool includeLegacy, TextWriter log, CancellationToken cancellationToken) =>
        DeployAsync(connectionString, includeLegacy, log, [], cancellationToken);

    /// <param name="nextVersionScripts">Scripts beyond the embedded ones (tests deploy a version N+1 with them); run after their group's embedded scripts.</param>
    internal static async Task<SchemaDeployResult> DeployAsync(
        string connectionString,
        bool includeLegacy,
        TextWriter log,
        IReadOnlyList<(PlannedScript Script, string Text)> nextVersionScripts,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(log);
        var upgradeLog = new TextWriterUpgradeLog(log);

        if (includeLegacy)
        {
            await Task.Run(() => EnsureDatabase.For.SqlDatabase(connectionString, upgradeLog), cancellationToken);
        }

        await using (var connection = new SqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            if (!includeLegacy)
            {
                // The legacy tables are there already: check them before anything is deployed.
                var before = ArchiveSchemaInspector.Compare(await ArchiveSchemaInspector.ReadFactsAsync(connection, cancellationToken), requireModules: false);
                await log.WriteLineAsync(before.ToString().AsMemory(), cancellationToken);
                if (!before.IsAcceptable)
                {
                    return new SchemaDeployResult(false, [], "The archive database does not have what the scim procedures rely on; nothing was deployed.", null, before);
                }
            }
            else if (await ScalarAsync(connection, "SELECT is_read_committed_snapshot_on FROM sys.databases WHERE database_id = DB_ID()", cancellationToken) is false)
            {
                // A development database is the deployer's own: readers then never wait for writers.
                await log.WriteLineAsync("Switching READ_COMMITTED_SNAPSHOT on".AsMemory(), cancellationToken);
                await ExecuteAsync(connection, "DECLARE @Sql nvarchar(300) = CONCAT(N'ALTER DATABASE ', QUOTENAME(DB_NAME()), N' SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE'); EXEC (@Sql);", cancellationToken);
            }

            if (await ScalarAsync(connection, $"SELECT SCHEMA_ID(N'{SchemaName}')", cancellationToken) is null or DBNull)
            {
                await log.WriteLineAsync($"Creating schema {SchemaName}".AsMemory(), cancellationToken);
                foreach (var batch in Batches(ReadScript(SchemaScript)))
                {
                    await ExecuteAsync(connection, batch, cancellationToken);
                }
            }
        }

        var scripts = PlannedScripts(includeLegacy)
            .Select(planned => new SqlScript(
                planned.Name,
                ReadScript(planned.Name),
                new SqlScriptOptions { RunGroupOrder = planned.RunGroup, ScriptType = planned.RunAlways ? ScriptType.RunAlways : ScriptType.RunOnce }))
            .Concat(nextVersionScripts.Select(next => new SqlScript(
                next.Script.Name,
                next.Text,
                new SqlScriptOptions { RunGroupOrder = next.Script.RunGroup, ScriptType = next.Script.RunAlways ? ScriptType.RunAlways : ScriptType.RunOnce })))
            .ToList();

        var engine = DeployChanges.To
            .SqlDatabase(connectionString, SchemaName)
            .JournalToSqlTable(SchemaName, JournalTable)
            .WithScripts(scripts)
            .WithTransaction()
            .WithVariablesDisabled()
            .WithPreprocessor(new DeploymentSessionPreprocessor())
            .LogTo(upgradeLog)
            .Build();

        cancellationToken.ThrowIfCancellationRequested();
        var result = await Task.Run(engine.PerformUpgrade, cancellationToken);
        var scriptsRun = result.Scripts.Select(script => script.Name).ToList();
        if (!result.Successful)
        {
            return new SchemaDeployResult(false, scriptsRun, result.Error?.Message, result.ErrorScript?.Name);
        }

        var after = await ArchiveSchemaInspector.InspectAsync(connectionString, requireModules: true, cancellationToken);
        await log.WriteLineAsync(after.ToString().AsMemory(), cancellationToken);
        return after.IsAcceptable
            ? new SchemaDeployResult(true, scriptsRun, null, null, after)
            : new SchemaDeployResult(false, scriptsRun, "The deployed schema does not pass the archive check.", null, after);
    }

    internal static string ReadScript(string name)
    {
        using var stream = ScriptAssembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The script {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Splits a script into batches on GO lines, as sqlcmd and DbUp do.</summary>
    internal static IReadOnlyList<string> Batches(string script) =>
        GoSeparator().Split(script).Where(batch => !string.IsNullOrWhiteSpace(batch)).ToList();

    private static async Task ExecuteAsync(SqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    // Horizontal blanks only: \s would reach across line ends and swallow the comment line after a GO.
    [GeneratedRegex(@"^[ \t]*GO[ \t]*(?:--[^\r\n]*)?\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();
}
