using System.Data;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

// The audit trail's procedures (sql/scim/programmability/05xx). Lengths are ArchiveLimits, as for every call
// (the contract tests compare them with the procedures and with scim.AuditLog).

internal sealed record AuditListCall(
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.VaultEntryId)] string? ScimId,
    [property: ProcedureParameter(DbType.DateTime2)] DateTime? Since,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.AuditOperation)] string? Operation,
    [property: ProcedureParameter(DbType.Int64)] long? Before,
    [property: ProcedureParameter(DbType.Int32)] int Take,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.UserName)] string? UserName) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Audit_List";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(AuditRow);
}

internal sealed record AuditPruneCall(
    [property: ProcedureParameter(DbType.DateTime2)] DateTime Cutoff,
    [property: ProcedureParameter(DbType.Int32)] int BatchSize) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Audit_Prune";

    public static bool Writes => true;

    public static Type? ResultRowType => typeof(AuditPruneRow);
}

internal sealed class AuditRow
{
    public long AuditId { get; set; }

    public string TenantKey { get; set; } = string.Empty;

    public DateTime OccurredUtc { get; set; }

    public string Operation { get; set; } = string.Empty;

    public string? ScimId { get; set; }

    public string Outcome { get; set; } = string.Empty;

    public string? CorrelationId { get; set; }

    public string? UserName { get; set; }

    public AuditEntry ToAuditEntry() => new(AuditId, TenantKey, UtcTimestamp.From(OccurredUtc), Operation, ScimId, Outcome, CorrelationId, UserName);
}

internal sealed class AuditPruneRow
{
    public int Deleted { get; set; }
}
