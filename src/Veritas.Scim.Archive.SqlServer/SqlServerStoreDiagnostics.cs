using System.Data;
using Dapper;
using Microsoft.Data.SqlClient;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>
/// SQL Server checks for <c>doctor</c>: the server answers; every migration of this build is in
/// the deployment journal and every procedure the store calls exists; the login may EXECUTE on
/// schema scim and holds no broad role it does not need (least privilege, DESIGN.md §7); the legacy
/// columns and indexes the procedures rely on (<see cref="ArchiveSchemaInspector"/>), as far as the
/// login may see them: metadata visibility follows permissions, and the gateway's role has none on
/// dbo, so what it cannot see is a warning that names `db check`, never a false failure.
/// </summary>
internal sealed class SqlServerStoreDiagnostics(SqlServerCommandRunner runner) : IArchiveStoreDiagnostics
{
    public const string OperationName = "diagnose_store";

    // Only catalog views and permission functions: nothing here reads or names an archive table.
    private const string InspectSql = $"""
        SELECT @@VERSION AS ServerVersion, DB_NAME() AS DatabaseName, SUSER_SNAME() AS LoginName,
               CONVERT(int, ISNULL(HAS_PERMS_BY_NAME(N'scim', N'SCHEMA', N'EXECUTE'), 0)) AS CanExecuteScim,
               CONVERT(int, ISNULL(IS_SRVROLEMEMBER(N'sysadmin'), 0)) AS IsSysadmin,
               CONVERT(int, ISNULL(IS_ROLEMEMBER(N'db_owner'), 0)) AS IsDbOwner,
               CONVERT(int, ISNULL(IS_ROLEMEMBER(N'db_datawriter'), 0)) AS IsDataWriter,
               CONVERT(int, ISNULL(HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'ALTER ANY SCHEMA'), 0)) AS CanAlterSchemas,
               CONVERT(int, ISNULL(HAS_PERMS_BY_NAME(N'{Journal}', N'OBJECT', N'SELECT'), 0)) AS CanReadJournal,
               CONVERT(int, ISNULL(HAS_PERMS_BY_NAME(N'dbo', N'SCHEMA', N'VIEW DEFINITION'), 0)) AS CanViewDboDefinitions;
        SELECT name FROM sys.procedures WHERE schema_id = SCHEMA_ID(N'{SqlServerSchemaDeployer.SchemaName}');
        -- The gateway's role may not read the journal (229): then only the procedures are compared.
        IF OBJECT_ID(N'{Journal}', N'U') IS NOT NULL AND HAS_PERMS_BY_NAME(N'{Journal}', N'OBJECT', N'SELECT') = 1
            SELECT ScriptName FROM {Journal};
        ELSE
            SELECT CAST(NULL AS nvarchar(255)) AS ScriptName WHERE 1 = 0;
        """;

    private const string Journal = $"{SqlServerSchemaDeployer.SchemaName}.{SqlServerSchemaDeployer.JournalTable}";

    private const string LegacySchemaCheck = "legacy columns and indexes";

    public async Task<IReadOnlyList<Finding>> DiagnoseAsync(CancellationToken cancellationToken)
    {
        Inspection inspection;
        try
        {
            inspection = await runner.RunAsync(OperationName, writes: false, InspectAsync, cancellationToken);
        }
        catch (Exception exception) when (exception is SqlException or ArchiveStoreException or InvalidOperationException or TimeoutException)
        {
            return [new Finding("store reachable", FindingStatus.Fail, "SQL Server does not answer: " + exception.Message, "Check ConnectionStrings:Archive, the network path and that the login exists.")];
        }

        var findings = new List<Finding>
        {
            new("store reachable", FindingStatus.Pass, $"Database {inspection.DatabaseName} as {inspection.LoginName}: {inspection.ServerVersion.Split('\n')[0].Trim()}"),
        };

        var missingMigrations = !inspection.CanReadJournal ? [] : SqlServerSchemaDeployer.PlannedScripts(includeLegacy: false)
            .Where(script => !script.RunAlways)
            .Select(script => script.Name)
            .Except(inspection.Journal, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var missingProcedures = typeof(IProcedureCall).Assembly.GetTypes()
            .Where(type => type.IsClass && typeof(IProcedureCall).IsAssignableFrom(type))
            .Select(type => ((string)type.GetProperty(nameof(IProcedureCall.ProcedureName))!.GetValue(null)!).Split('.')[^1])
            .Except(inspection.Procedures, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        findings.Add(missingMigrations.Count == 0 && missingProcedures.Count == 0
            ? new Finding("schema version", FindingStatus.Pass, inspection.CanReadJournal
                ? $"All {inspection.Journal.Count} migrations journaled; all {inspection.Procedures.Count} procedures present."
                : $"All {inspection.Procedures.Count} procedures present (this login may not read the journal {Journal}; `db check` as the deploying login compares the migrations).")
            : new Finding(
                "schema version",
                FindingStatus.Fail,
                $"Missing migrations: {Names(missingMigrations)}; missing procedures: {Names(missingProcedures)}.",
                "Run `db deploy` with a login that may alter schema scim."));

        findings.Add(inspection.CanExecuteScim
            ? new Finding("login may EXECUTE on scim", FindingStatus.Pass, $"{inspection.LoginName} may execute the scim procedures.")
            : new Finding("login may EXECUTE on scim", FindingStatus.Fail, $"{inspection.LoginName} may not execute on schema scim.", "GRANT EXECUTE ON SCHEMA::scim TO the gateway's role (and SELECT on the scim views)."));

        var broad = new List<string>();
        if (inspection.IsSysadmin)
        {
            broad.Add("sysadmin");
        }

        if (inspection.IsDbOwner)
        {
            broad.Add("db_owner");
        }

        if (inspection.IsDataWriter)
        {
            broad.Add("db_datawriter");
        }

        if (inspection.CanAlterSchemas)
        {
            broad.Add("ALTER ANY SCHEMA");
        }

        findings.Add(broad.Count == 0
            ? new Finding("least privilege", FindingStatus.Pass, "No broad role or DDL right beyond what the procedures need.")
            : new Finding("least privilege", FindingStatus.Warn, $"{inspection.LoginName} holds more than it needs: {string.Join(", ", broad)}.", "Run the gateway as a login whose only rights are EXECUTE on scim and SELECT on the scim views; deploy with another."));
        findings.AddRange(inspection.ArchiveSchema is { } facts
            ? LegacySchemaFindings(facts, inspection.CanViewDboDefinitions)
            : [new Finding(LegacySchemaCheck, FindingStatus.Warn, "The catalog of the archive database could not be read with this login.", "Run `db check` as the deploying login.")]);
        return findings;
    }

    /// <summary>
    /// One row per difference the inspector finds, with its fix; a dbo table this login cannot see
    /// is not called missing (without VIEW DEFINITION on dbo, or a permission on the table itself,
    /// SQL Server hides it), but named in one warning that sends the operator to `db check`.
    /// </summary>
    internal static IReadOnlyList<Finding> LegacySchemaFindings(ArchiveSchemaFacts facts, bool canViewDboDefinitions)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var visible = facts.Columns.Select(column => column.Table).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var hidden = canViewDboDefinitions
            ? []
            : ArchiveSchemaShape.Columns.Select(column => column.Table).Distinct(StringComparer.OrdinalIgnoreCase).Where(table => !visible.Contains(table)).ToList();
        var findings = ArchiveSchemaInspector.Compare(facts, requireModules: false).Findings
            .Where(finding => !hidden.Exists(table => Concerns(finding.Subject, table)))
            .OrderByDescending(finding => finding.Severity)
            .Select(finding => new Finding(
                $"{LegacySchemaCheck}: {finding.Subject}",
                finding.Severity == SchemaFindingSeverity.Error ? FindingStatus.Fail : FindingStatus.Warn,
                finding.Problem,
                finding.Fix))
            .ToList();
        if (hidden.Count > 0)
        {
            findings.Add(new Finding(
                LegacySchemaCheck,
                FindingStatus.Warn,
                $"This login cannot see the metadata of {string.Join(", ", hidden)} (metadata visibility follows permissions; the gateway's role has none on dbo), so their columns and indexes were not checked.",
                "Run `db check` as the deploying login."));
        }
        else if (findings.Count == 0)
        {
            findings.Add(new Finding(LegacySchemaCheck, FindingStatus.Pass, "Every column, index and database setting the scim procedures rely on is as expected."));
        }

        return findings;
    }

    // Subjects are "dbo.T", "dbo.T.Column", "dbo.T (keys)" or "dbo.T.IndexName".
    private static bool Concerns(string subject, string table) =>
        subject.StartsWith(table, StringComparison.OrdinalIgnoreCase)
        && (subject.Length == table.Length || subject[table.Length] is '.' or ' ');

    private static string Names(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static async Task<Inspection> InspectAsync(SqlConnection connection, CancellationToken cancellationToken)
    {
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(InspectSql, commandType: CommandType.Text, cancellationToken: cancellationToken));
        var facts = await results.ReadSingleAsync<Facts>();
        var procedures = (await results.ReadAsync<string>()).ToList();
        var journal = (await results.ReadAsync<string>()).ToList();
        ArchiveSchemaFacts? archiveSchema;
        try
        {
            archiveSchema = await ArchiveSchemaInspector.ReadFactsAsync(connection, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // sys.databases hides the row of a database the login may not see: nothing to compare.
            archiveSchema = null;
        }

        return new Inspection(
            facts.ServerVersion, facts.DatabaseName, facts.LoginName, facts.CanExecuteScim == 1, facts.IsSysadmin == 1, facts.IsDbOwner == 1, facts.IsDataWriter == 1, facts.CanAlterSchemas == 1,
            facts.CanReadJournal == 1, facts.CanViewDboDefinitions == 1, procedures, journal, archiveSchema);
    }

    private sealed record Inspection(
        string ServerVersion,
        string DatabaseName,
        string LoginName,
        bool CanExecuteScim,
        bool IsSysadmin,
        bool IsDbOwner,
        bool IsDataWriter,
        bool CanAlterSchemas,
        bool CanReadJournal,
        bool CanViewDboDefinitions,
        IReadOnlyList<string> Procedures,
        IReadOnlyList<string> Journal,
        ArchiveSchemaFacts? ArchiveSchema);

    private sealed class Facts
    {
        public string ServerVersion { get; set; } = string.Empty;

        public string DatabaseName { get; set; } = string.Empty;

        public string LoginName { get; set; } = string.Empty;

        public int CanExecuteScim { get; set; }

        public int IsSysadmin { get; set; }

        public int IsDbOwner { get; set; }

        public int IsDataWriter { get; set; }

        public int CanAlterSchemas { get; set; }

        public int CanReadJournal { get; set; }

        public int CanViewDboDefinitions { get; set; }
    }
}
