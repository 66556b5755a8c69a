using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>The embedded store's checks: the file opens, its schema version is the one this code expects, WAL is on.</summary>
internal sealed class SqliteStoreDiagnostics(SqliteCommandRunner runner, string dataSource) : IArchiveStoreDiagnostics
{
    private const string InspectSql = "SELECT (SELECT user_version FROM pragma_user_version), (SELECT journal_mode FROM pragma_journal_mode);";

    public async Task<IReadOnlyList<Finding>> DiagnoseAsync(CancellationToken cancellationToken)
    {
        if (!dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && dataSource != ":memory:" && !File.Exists(dataSource))
        {
            return
            [
                new Finding("store reachable", FindingStatus.Fail, $"The embedded database {dataSource} does not exist yet.", "Start the gateway once, or run `tenant add KEY`: either creates it."),
            ];
        }

        (long Version, string JournalMode) state;
        try
        {
            var rows = await runner.QueryAsync("diagnose_store", InspectSql, null, static reader => (reader.GetInt64(0), reader.GetString(1)), cancellationToken);
            state = rows.Single();
        }
        catch (ArchiveStoreException exception)
        {
            return [new Finding("store reachable", FindingStatus.Fail, $"The embedded database {dataSource} cannot be read: {exception.Message}", "Check the file's permissions and Scim:DataDirectory.")];
        }

        var version = state.Version == SqliteArchiveDatabase.SchemaVersion
            ? new Finding("schema version", FindingStatus.Pass, $"Version {state.Version}, as this gateway expects.")
            : state.Version < SqliteArchiveDatabase.SchemaVersion
                ? new Finding("schema version", FindingStatus.Fail, $"Version {state.Version}; this gateway needs {SqliteArchiveDatabase.SchemaVersion}.", "Start the gateway once: it brings the schema up to date.")
                : new Finding("schema version", FindingStatus.Fail, $"Version {state.Version} is newer than this gateway ({SqliteArchiveDatabase.SchemaVersion}).", "Run the gateway version that made this database.");
        var journal = string.Equals(state.JournalMode, "wal", StringComparison.OrdinalIgnoreCase)
            ? new Finding("write-ahead log", FindingStatus.Pass, "WAL: readers never wait for the writer.")
            : new Finding("write-ahead log", FindingStatus.Warn, $"Journal mode {state.JournalMode}.", "Start the gateway once: it switches the database to WAL.");
        return [new Finding("store reachable", FindingStatus.Pass, $"Embedded database {dataSource}."), version, journal];
    }
}
