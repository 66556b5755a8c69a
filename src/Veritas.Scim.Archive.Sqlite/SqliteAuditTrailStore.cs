using System.Data.Common;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary><see cref="IAuditTrailStore"/> on the embedded database; each method is one command text.</summary>
internal sealed class SqliteAuditTrailStore(SqliteCommandRunner runner) : IAuditTrailStore
{
    // One row more than asked tells whether there is a next page without a count. SQLite plans a
    // statement once for every value of its parameters, so one statement whose selector may be
    // absent ("no account given, or this id, or this name") can only walk the tenant's whole trail:
    // each selector has a statement of its own, pinned to the index that finds just its rows.
    private const string ReadColumns = "SELECT AuditId, TenantKey, OccurredUtc, Operation, VaultEntryId, Outcome, CorrelationId, UserName";

    private const string ReadOrder = """
        ORDER BY AuditId DESC
        LIMIT @Take;
        """;

    private const string ReadFilters = """
          AND (@Before IS NULL OR AuditId < @Before)
          AND (@Since IS NULL OR OccurredUtc >= @Since)
          AND (@Operation IS NULL OR Operation = @Operation COLLATE NOCASE)
        """;

    private const string ByScimId = $"""
        {ReadColumns} FROM AuditLog INDEXED BY {SqliteIndexes.AuditByVaultEntryId}
        WHERE VaultEntryId = @ScimId AND TenantKey = @TenantKey
        {ReadFilters}
        """;

    private const string ByUserName = $"""
        {ReadColumns} FROM AuditLog INDEXED BY {SqliteIndexes.AuditByTenantUserName}
        WHERE TenantKey = @TenantKey AND UserName = @UserName
        {ReadFilters}
        """;

    private const string ReadTenantSql = $"""
        {ReadColumns} FROM AuditLog INDEXED BY {SqliteIndexes.AuditByTenant}
        WHERE TenantKey = @TenantKey
        {ReadFilters}
        {ReadOrder}
        """;

    private const string ReadByScimIdSql = $"""
        {ByScimId}
        {ReadOrder}
        """;

    private const string ReadByUserNameSql = $"""
        {ByUserName}
        {ReadOrder}
        """;

    // Rows matching either: the two seeks, a row both find kept once (UNION compares whole rows, AuditId among them).
    private const string ReadByScimIdOrUserNameSql = $"""
        {ByScimId}
        UNION
        {ByUserName}
        {ReadOrder}
        """;

    // One bounded batch per write: the writer commits it with whatever else is queued, so writers wait for at most one batch, never for the whole prune.
    private const string PruneSql = """
        DELETE FROM AuditLog WHERE AuditId IN (
            SELECT AuditId FROM AuditLog WHERE OccurredUtc < @Cutoff ORDER BY OccurredUtc LIMIT @BatchSize);
        SELECT changes();
        """;

    public async Task<AuditPage> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        var parameters = new StatementArguments(7)
        {
            { "TenantKey", query.TenantKey },
            { "Before", query.Before },
            { "ScimId", query.ScimId },
            { "UserName", query.UserName },
            { "Since", query.Since is { } since ? SqliteTimestamps.ToText(since) : null },
            { "Operation", query.Operation },
            { "Take", query.Limit + 1 },
        };
        var sql = (query.ScimId, query.UserName) switch
        {
            (null, null) => ReadTenantSql,
            (_, null) => ReadByScimIdSql,
            (null, _) => ReadByUserNameSql,
            _ => ReadByScimIdOrUserNameSql,
        };
        var rows = await runner.QueryAsync("read_audit", sql, parameters, Map, cancellationToken);
        return rows.Count > query.Limit
            ? new AuditPage(rows[..query.Limit], rows[query.Limit - 1].AuditId)
            : new AuditPage(rows, null);
    }

    public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rows = await runner.WriteAsync(
            "prune_audit",
            PruneSql,
            new StatementArguments(2) { { "Cutoff", SqliteTimestamps.ToText(cutoff) }, { "BatchSize", batchSize } },
            static reader => reader.GetInt32(0),
            cancellationToken);
        return rows.Single();
    }

    private static AuditEntry Map(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        SqliteTimestamps.Parse(reader.GetString(2)),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
