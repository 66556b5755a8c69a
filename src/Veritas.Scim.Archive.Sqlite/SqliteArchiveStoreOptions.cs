using Microsoft.Data.Sqlite;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>Where the embedded archive database lives and how long a writer waits for another.</summary>
public sealed class SqliteArchiveStoreOptions
{
    /// <summary>The configuration section the gateway binds these options from.</summary>
    public const string SectionName = "Archive:Sqlite";

    /// <summary>Path of the database file (created with its folder when missing). Ignored when <see cref="ConnectionString"/> is set.</summary>
    public string? DataSource { get; set; }

    /// <summary>A full Microsoft.Data.Sqlite connection string, for settings beyond the file path.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a write waits for another writer's transaction before it fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Creates the demo customer and its pre-SCIM accounts at start (development only).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>The reasons these options cannot work; empty when they can.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataSource) && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("Set DataSource (a file path) or ConnectionString for the SQLite archive store.");
        }
        else
        {
            try
            {
                var builder = BuildConnectionStringBuilder();
                if (string.IsNullOrWhiteSpace(builder.DataSource))
                {
                    problems.Add("The SQLite connection string names no Data Source.");
                }
                else if (builder.Mode == SqliteOpenMode.Memory
                    || builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
                {
                    // Each pooled connection would see its own empty database, and nothing would be durable.
                    problems.Add("The SQLite archive store needs a database file, not an in-memory database.");
                }
                else if (builder.Mode == SqliteOpenMode.ReadOnly)
                {
                    problems.Add("The SQLite archive store writes; a read-only connection cannot serve it.");
                }
            }
            catch (ArgumentException exception)
            {
                problems.Add("The SQLite connection string is not valid: " + exception.Message);
            }
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("BusyTimeout must be positive and at most 10 minutes.");
        }

        return problems;
    }

    internal SqliteConnectionStringBuilder BuildConnectionStringBuilder()
    {
        var builder = string.IsNullOrWhiteSpace(ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = DataSource }
            : new SqliteConnectionStringBuilder(ConnectionString);
        builder.ForeignKeys = true;
        // The store keeps its own long-lived connections (one writer, a few readers), each set up
        // for its role at open; a pool would hand a reader's settings to the next opener.
        builder.Pooling = false;
        // Microsoft.Data.Sqlite's own busy loop is the second line behind sqlite3_busy_timeout.
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds));
        return builder;
    }
}
