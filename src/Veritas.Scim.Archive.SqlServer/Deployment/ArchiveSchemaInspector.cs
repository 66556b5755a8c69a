using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.SqlClient;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>A row of sys.columns for a dbo or scim table, as the inspector reads it.</summary>
/// <param name="TypeName">TYPE_NAME(system_type_id).</param>
/// <param name="MaxLength">sys.columns.max_length: bytes (nvarchar counts two per character), -1 for max.</param>
internal sealed record ColumnFact(string Table, string Column, string TypeName, int MaxLength, bool IsNullable, string? Collation);

/// <summary>An index of a dbo table (sys.indexes with its sys.index_columns).</summary>
/// <param name="FilterDefinition">sys.indexes.filter_definition as the server normalised it, e.g. "([RemovedUtc] IS NULL)".</param>
internal sealed record IndexFact(string Table, string Name, bool IsUnique, IReadOnlyList<string> KeyColumns, IReadOnlyList<string> IncludedColumns, string? FilterDefinition);

/// <summary>A view or procedure of schema scim (sys.sql_modules).</summary>
internal sealed record ModuleFact(string Name, bool UsesQuotedIdentifier, bool UsesAnsiNulls);

/// <summary>The database-wide settings the store relies on.</summary>
internal sealed record DatabaseFact(string Name, string Collation, bool ReadCommittedSnapshot, int CompatibilityLevel);

/// <summary>Everything the inspector compares, read in one round trip.</summary>
internal sealed record ArchiveSchemaFacts(DatabaseFact Database, IReadOnlyList<ColumnFact> Columns, IReadOnlyList<IndexFact> Indexes, IReadOnlyList<ModuleFact> Modules);

/// <summary>
/// Compares a real archive database with <see cref="ArchiveSchemaShape"/>: every column the
/// procedures rely on (type, width, collation, nullability), the indexes their guarantees and
/// seeks need (recognised by shape, not name), the SET options the scim modules were created
/// with, and the database settings. Read-only: it only queries catalog views.
/// </summary>
public static class ArchiveSchemaInspector
{
    private const string FactsQuery = """
        SELECT d.name AS Name, CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), 'Collation')) AS Collation,
               d.is_read_committed_snapshot_on AS ReadCommittedSnapshot, CAST(d.compatibility_level AS int) AS CompatibilityLevel
        FROM sys.databases AS d
        WHERE d.database_id = DB_ID();

        SELECT CONCAT(s.name, N'.', t.name) AS [Table], c.name AS [Column], TYPE_NAME(c.system_type_id) AS TypeName,
               CAST(c.max_length AS int) AS MaxLength, c.is_nullable AS IsNullable, c.collation_name AS Collation
        FROM sys.columns AS c
        JOIN sys.tables AS t ON t.object_id = c.object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE s.name = N'dbo';

        SELECT CONCAT(s.name, N'.', t.name) AS [Table], i.name AS Name, i.is_unique AS IsUnique, i.filter_definition AS FilterDefinition,
               c.name AS [Column], ic.is_included_column AS IsIncluded, CAST(ic.key_ordinal AS int) AS KeyOrdinal, ic.index_column_id AS ColumnOrdinal
        FROM sys.indexes AS i
        JOIN sys.tables AS t ON t.object_id = i.object_id
        JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
        JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE s.name = N'dbo' AND i.type IN (1, 2) AND i.is_hypothetical = 0 AND i.is_disabled = 0;

        SELECT o.name AS Name, m.uses_quoted_identifier AS UsesQuotedIdentifier, m.uses_ansi_nulls AS UsesAnsiNulls
        FROM sys.sql_modules AS m
        JOIN sys.objects AS o ON o.object_id = m.object_id
        JOIN sys.schemas AS s ON s.schema_id = o.schema_id
        WHERE s.name = N'scim';
        """;

    /// <summary>Reads the catalog of the database the connection string names and compares it with what the procedures need.</summary>
    /// <param name="requireModules">Also require the scim views and procedures (after a deployment, and for `db check`).</param>
    public static async Task<ArchiveSchemaReport> InspectAsync(string connectionString, bool requireModules, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return Compare(await ReadFactsAsync(connection, cancellationToken), requireModules);
    }

    internal static async Task<ArchiveSchemaFacts> ReadFactsAsync(SqlConnection connection, CancellationToken cancellationToken)
    {
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(FactsQuery, cancellationToken: cancellationToken));
        var database = await grid.ReadSingleAsync<DatabaseFact>();
        var columns = (await grid.ReadAsync<ColumnFact>()).ToList();
        var indexColumns = await grid.ReadAsync<(string Table, string Name, bool IsUnique, string? FilterDefinition, string Column, bool IsIncluded, int KeyOrdinal, int ColumnOrdinal)>();
        var modules = (await grid.ReadAsync<ModuleFact>()).ToList();
        var indexes = indexColumns
            .GroupBy(row => (row.Table, row.Name))
            .Select(group => new IndexFact(
                group.Key.Table,
                group.Key.Name,
                group.First().IsUnique,
                group.Where(row => !row.IsIncluded).OrderBy(row => row.KeyOrdinal).Select(row => row.Column).ToList(),
                group.Where(row => row.IsIncluded).OrderBy(row => row.ColumnOrdinal).Select(row => row.Column).ToList(),
                group.First().FilterDefinition))
            .ToList();
        return new ArchiveSchemaFacts(database, columns, indexes, modules);
    }

    /// <summary>The comparison itself, free of I/O: facts in, findings out.</summary>
    internal static ArchiveSchemaReport Compare(ArchiveSchemaFacts facts, bool requireModules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = new List<SchemaFinding>();
        CompareDatabase(facts.Database, findings);
        CompareColumns(facts, findings);
        CompareIndexes(facts, findings);
        CompareModules(facts, requireModules, findings);
        return new ArchiveSchemaReport(findings);
    }

    internal static bool IsCaseInsensitive(string? collation) =>
        collation is not null
        && collation.Contains("_CI", StringComparison.OrdinalIgnoreCase)
        && !collation.Contains("_BIN", StringComparison.OrdinalIgnoreCase);

    /// <summary>"([AccountStatus]&lt;&gt;(2))" and "AccountStatus &lt;&gt; 2" both become "accountstatus&lt;&gt;2".</summary>
    internal static string NormaliseFilter(string filter)
    {
        var normalised = new StringBuilder(filter.Length);
        foreach (var character in filter)
        {
            if (character is not ('[' or ']' or '(' or ')') && !char.IsWhiteSpace(character))
            {
                normalised.Append(char.ToLowerInvariant(character));
            }
        }

        return normalised.ToString();
    }

    private static void CompareDatabase(DatabaseFact database, List<SchemaFinding> findings)
    {
        if (!IsCaseInsensitive(database.Collation))
        {
            findings.Add(new(SchemaFindingSeverity.Error, "database",
                $"the default collation {database.Collation} is not case-insensitive; the scim tables and the alias list type take it, so user names and addresses would not match as SCIM requires",
                "use a database whose default collation is case-insensitive (e.g. SQL_Latin1_General_CP1_CI_AS)"));
        }

        if (database.CompatibilityLevel < ArchiveSchemaShape.MinimumCompatibilityLevel)
        {
            findings.Add(new(SchemaFindingSeverity.Error, "database",
                $"compatibility level {database.CompatibilityLevel} is below {ArchiveSchemaShape.MinimumCompatibilityLevel}; the procedures use OPENJSON and FOR JSON",
                $"ALTER DATABASE [{database.Name}] SET COMPATIBILITY_LEVEL = {ArchiveSchemaShape.MinimumCompatibilityLevel};"));
        }

        if (!database.ReadCommittedSnapshot)
        {
            findings.Add(new(SchemaFindingSeverity.Warning, "database",
                "READ_COMMITTED_SNAPSHOT is off: every read waits for the writes it meets, and reads and writes of one account can deadlock (key lookups against updates)",
                $"in a maintenance window: ALTER DATABASE [{database.Name}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;"));
        }
    }

    private static void CompareColumns(ArchiveSchemaFacts facts, List<SchemaFinding> findings)
    {
        var byTable = facts.Columns.ToLookup(column => column.Table, StringComparer.OrdinalIgnoreCase);
        foreach (var expected in ArchiveSchemaShape.Columns)
        {
            var subject = $"{expected.Table}.{expected.Column}";
            if (!byTable.Contains(expected.Table))
            {
                // One finding per missing table, not one per column.
                if (ArchiveSchemaShape.Columns.First(column => column.Table == expected.Table) == expected)
                {
                    findings.Add(new(SchemaFindingSeverity.Error, expected.Table, "the table does not exist (or this login cannot see it)",
                        "connect to the archive database itself, as a login with VIEW DEFINITION on dbo"));
                }

                continue;
            }

            var actual = byTable[expected.Table].FirstOrDefault(column => string.Equals(column.Column, expected.Column, StringComparison.OrdinalIgnoreCase));
            if (actual is null)
            {
                findings.Add(new(SchemaFindingSeverity.Error, subject, "the column does not exist; the procedures read or write it",
                    "the archive's schema differs from the one the gateway supports: add the column or ask for an adapter change"));
                continue;
            }

            var declared = Declared(expected);
            if (!string.Equals(actual.TypeName, expected.Type, StringComparison.OrdinalIgnoreCase))
            {
                var why = expected.Type == "nvarchar" && actual.TypeName is "varchar" or "char" or "nchar"
                    ? "nvarchar parameters against it convert the column, so every seek becomes a scan, and characters outside its code page are lost"
                    : "the procedures' parameters and variables are of the expected type";
                findings.Add(new(SchemaFindingSeverity.Error, subject, $"is {actual.TypeName}, expected {declared}: {why}",
                    $"ALTER TABLE {expected.Table} ALTER COLUMN {expected.Column} {declared} {(actual.IsNullable ? "NULL" : "NOT NULL")}; (rebuild the indexes on it)"));
                continue;
            }

            if (expected.Length is { } length && actual.MaxLength != -1 && Characters(actual) < length)
            {
                findings.Add(new(SchemaFindingSeverity.Error, subject,
                    $"holds {Characters(actual)} characters, the gateway accepts {length}: a longer value fails the write (truncation error) instead of a clear SCIM 400",
                    $"ALTER TABLE {expected.Table} ALTER COLUMN {expected.Column} {declared} {(actual.IsNullable ? "NULL" : "NOT NULL")};"));
            }

            if (expected.MustBeNullable && !actual.IsNullable)
            {
                findings.Add(new(SchemaFindingSeverity.Error, subject, "is NOT NULL; the procedures write NULL into it (an attribute the client left out)",
                    $"ALTER TABLE {expected.Table} ALTER COLUMN {expected.Column} {declared} NULL;"));
            }

            if (expected.ComparedByCollation)
            {
                if (!IsCaseInsensitive(actual.Collation))
                {
                    findings.Add(new(SchemaFindingSeverity.Error, subject,
                        $"has the case-sensitive collation {actual.Collation}: matching through it would tell 'Ann@x' from 'ann@x', so one user could be created twice",
                        $"ALTER TABLE {expected.Table} ALTER COLUMN {expected.Column} {declared} COLLATE {facts.Database.Collation} {(actual.IsNullable ? "NULL" : "NOT NULL")}; (drop and recreate the indexes on it)"));
                }
                else if (!string.Equals(actual.Collation, facts.Database.Collation, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new(SchemaFindingSeverity.Error, subject,
                        $"has the collation {actual.Collation}, the database {facts.Database.Collation}: comparing it with the alias list (which takes the database's) fails every aliased write with Msg 468 (collation conflict)",
                        $"ALTER TABLE {expected.Table} ALTER COLUMN {expected.Column} {declared} COLLATE {facts.Database.Collation} {(actual.IsNullable ? "NULL" : "NOT NULL")}; (drop and recreate the indexes on it)"));
                }
            }
        }
    }

    private static void CompareIndexes(ArchiveSchemaFacts facts, List<SchemaFinding> findings)
    {
        foreach (var expected in ArchiveSchemaShape.Indexes)
        {
            var subject = $"{expected.Table} ({string.Join(", ", expected.KeyColumns)}){(expected.Filter is null ? string.Empty : " WHERE " + expected.Filter)}";
            var definition = IndexDefinition(expected);
            var candidates = facts.Indexes
                .Where(index => string.Equals(index.Table, expected.Table, StringComparison.OrdinalIgnoreCase)
                    && index.KeyColumns.SequenceEqual(expected.KeyColumns, StringComparer.OrdinalIgnoreCase)
                    && NormaliseFilter(index.FilterDefinition ?? string.Empty) == NormaliseFilter(expected.Filter ?? string.Empty))
                .ToList();
            var match = candidates.FirstOrDefault(index => index.IsUnique || !expected.Unique);
            if (match is null)
            {
                var problem = candidates.Count > 0
                    ? $"an index with these keys exists ({candidates[0].Name}) but is not unique: {expected.Missing}"
                    : $"no index has these keys{(expected.Filter is null ? string.Empty : " and this filter")}: {expected.Missing}";
                findings.Add(new(expected.Unique ? SchemaFindingSeverity.Error : SchemaFindingSeverity.Warning, subject, problem, definition));
                continue;
            }

            var covered = match.KeyColumns.Concat(match.IncludedColumns).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missingIncludes = expected.Includes.Where(column => !covered.Contains(column)).ToList();
            if (missingIncludes.Count > 0)
            {
                findings.Add(new(SchemaFindingSeverity.Warning, $"{expected.Table}.{match.Name}",
                    $"does not include {string.Join(", ", missingIncludes)}: each check through it re-reads the row by a key lookup",
                    IndexDefinition(expected, match.Name) + " WITH (DROP_EXISTING = ON);"));
            }
        }
    }

    private static void CompareModules(ArchiveSchemaFacts facts, bool requireModules, List<SchemaFinding> findings)
    {
        if (requireModules && facts.Modules.Count == 0)
        {
            findings.Add(new(SchemaFindingSeverity.Error, "schema scim", "holds no views or procedures: the gateway has nothing to call", "run `db deploy`"));
        }

        foreach (var module in facts.Modules.Where(module => !module.UsesQuotedIdentifier || !module.UsesAnsiNulls))
        {
            var off = string.Join(" and ", new[] { module.UsesQuotedIdentifier ? null : "QUOTED_IDENTIFIER", module.UsesAnsiNulls ? null : "ANSI_NULLS" }.OfType<string>());
            findings.Add(new(SchemaFindingSeverity.Error, "scim." + module.Name,
                $"was created with {off} OFF: its writes to tables with filtered indexes fail (Msg 1934), and NULL comparisons change meaning",
                "run `db deploy` again (it connects with both ON), or re-create it from a session with SET QUOTED_IDENTIFIER ON and SET ANSI_NULLS ON"));
        }
    }

    private static string Declared(ExpectedColumn column) => column.Length is { } length
        ? $"{column.Type}({length.ToString(CultureInfo.InvariantCulture)})"
        : column.Type == "timestamp" ? "rowversion" : column.Type;

    private static int Characters(ColumnFact column) =>
        column.TypeName is "nvarchar" or "nchar" ? column.MaxLength / 2 : column.MaxLength;

    private static string IndexDefinition(ExpectedIndex index, string? name = null)
    {
        var table = index.Table[(index.Table.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var text = new StringBuilder()
            .Append("CREATE ").Append(index.Unique ? "UNIQUE " : string.Empty).Append("INDEX ")
            .Append(name ?? $"{(index.Unique ? "UX" : "IX")}_{table}_{string.Join('_', index.KeyColumns)}{(index.Filter is null ? string.Empty : "_Live")}")
            .Append(" ON ").Append(index.Table).Append(" (").Append(string.Join(", ", index.KeyColumns)).Append(')');
        if (index.Includes.Count > 0)
        {
            text.Append(" INCLUDE (").Append(string.Join(", ", index.Includes)).Append(')');
        }

        if (index.Filter is not null)
        {
            text.Append(" WHERE ").Append(index.Filter);
        }

        return text.ToString();
    }
}
