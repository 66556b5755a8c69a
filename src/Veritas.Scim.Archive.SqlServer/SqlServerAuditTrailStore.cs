using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>The audit trail in scim.AuditLog, through usp_Audit_List and usp_Audit_Prune.</summary>
internal sealed class SqlServerAuditTrailStore(SqlServerCommandRunner runner) : IAuditTrailStore
{
    public async Task<AuditPage> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        var call = new AuditListCall(query.TenantKey, query.ScimId, query.Since?.UtcDateTime, query.Operation, query.Before, query.Limit + 1, query.UserName);
        var rows = await runner.QueryAsync<AuditListCall, AuditRow>(call, cancellationToken);
        var entries = rows.Take(query.Limit).Select(row => row.ToAuditEntry()).ToList();
        return new AuditPage(entries, rows.Count > query.Limit ? entries[^1].AuditId : null);
    }

    public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rows = await runner.QueryAsync<AuditPruneCall, AuditPruneRow>(new AuditPruneCall(cutoff.UtcDateTime, batchSize), cancellationToken);
        return rows.Single().Deleted;
    }
}
