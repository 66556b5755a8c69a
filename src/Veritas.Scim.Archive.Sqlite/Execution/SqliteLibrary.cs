using SQLitePCL;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// Settings of the SQLite library itself, for the whole process. SQLite accepts them only before
/// it initialises, which its first connection does, so <see cref="SqliteSession.Open"/> applies
/// them before it opens one.
/// </summary>
internal static class SqliteLibrary
{
    private const int ConfigMemoryStatistics = 9; // SQLITE_CONFIG_MEMSTATUS

    private static readonly Lazy<bool> MemoryStatisticsOff = new(TurnOffMemoryStatistics);

    /// <summary>
    /// True when SQLite keeps no memory statistics in this process; false when something else in
    /// the process initialised SQLite first (the store works the same, only slower).
    /// </summary>
    public static bool KeepsNoMemoryStatistics => MemoryStatisticsOff.Value;

    /// <summary>Applies the settings once; the provider must be set (a <c>SqliteConnection</c> was constructed).</summary>
    public static void Configure() => _ = MemoryStatisticsOff.Value;

    // With statistics on (the bundled library's default), every sqlite3_malloc and sqlite3_free
    // takes one process-wide mutex to count bytes, so the writer and the readers contend on it for
    // every allocation of every statement; SQLite's documentation recommends turning them off for
    // speed. Nothing here reads them. Turning them off halved the futex calls of a query request
    // in the load benchmark (0.57 to 0.30 per request).
    private static bool TurnOffMemoryStatistics() => raw.sqlite3_config(ConfigMemoryStatistics, 0) == raw.SQLITE_OK;
}
