using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>Ready when the database file opens and holds the archive schema.</summary>
internal sealed class SqliteArchiveHealthProbe(SqliteCommandRunner runner) : IArchiveHealthProbe
{
    public const string OperationName = "health_probe";

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync(
            OperationName,
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ArchiveAccount';",
            null,
            static reader => reader.GetInt32(0),
            cancellationToken);
        return rows.Count == 1 ? null : "The archive schema is missing.";
    }
}
