namespace Veritas.Scim.Archive.SqlServer;

/// <summary>How much a finding matters: an error makes the store misbehave (the deployer refuses), a warning costs performance.</summary>
public enum SchemaFindingSeverity
{
    Warning,
    Error,
}

/// <summary>One difference between the archive database and what the procedures rely on.</summary>
/// <param name="Subject">What is concerned, e.g. "dbo.ArchiveAccount.UserName" or "database".</param>
/// <param name="Problem">What is wrong and what it breaks.</param>
/// <param name="Fix">What a DBA can do about it (T-SQL where there is a statement).</param>
public sealed record SchemaFinding(SchemaFindingSeverity Severity, string Subject, string Problem, string Fix)
{
    public override string ToString() => $"{Severity.ToString().ToUpperInvariant()} {Subject}: {Problem}\n  fix: {Fix}";
}

/// <summary>What <see cref="ArchiveSchemaInspector"/> found; reusable by any caller that reports on the database (db check, doctor).</summary>
public sealed record ArchiveSchemaReport(IReadOnlyList<SchemaFinding> Findings)
{
    /// <summary>No errors (warnings allowed): the procedures will behave as documented.</summary>
    public bool IsAcceptable => Findings.All(finding => finding.Severity != SchemaFindingSeverity.Error);

    public IEnumerable<SchemaFinding> Errors => Findings.Where(finding => finding.Severity == SchemaFindingSeverity.Error);

    public IEnumerable<SchemaFinding> Warnings => Findings.Where(finding => finding.Severity == SchemaFindingSeverity.Warning);

    public override string ToString() => Findings.Count == 0
        ? "The archive database has every column, index and setting the scim procedures rely on."
        : string.Join('\n', Findings.OrderByDescending(finding => finding.Severity).Select(finding => finding.ToString()));
}
