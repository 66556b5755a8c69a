using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary><see cref="ITenantStore"/> on the embedded database; every method is one command text.</summary>
internal sealed class SqliteTenantStore(SqliteCommandRunner runner, TimeProvider timeProvider) : ITenantStore
{
    /// <summary>Last use is recorded at most this often per token, so authentication is not a write per request.</summary>
    internal static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string TenantColumns = "t.TenantId, t.TenantKey, t.CustomerId, c.Name, t.CreatedUtc";

    private const string TokenColumns = "k.TokenId, t.TenantKey, k.CreatedUtc, k.LastUsedUtc, k.RevokedUtc";

    private const string TokenLookup = $"""
        SELECT t.TenantId, t.TenantKey, t.CustomerId, k.TokenId
        FROM TenantToken AS k INDEXED BY {SqliteIndexes.TokenByHash} CROSS JOIN Tenant AS t ON t.TenantId = k.TenantId
        WHERE k.TokenHash = @TokenHash AND k.RevokedUtc IS NULL;
        """;

    private const string FindByTokenHashSql = TokenLookup;

    // Sent to the writer when this process has not stamped the token within LastUsedResolution.
    private const string FindByTokenHashAndRecordUseSql = $"""
        UPDATE TenantToken INDEXED BY {SqliteIndexes.TokenByHash} SET LastUsedUtc = @Now
        WHERE TokenHash = @TokenHash AND RevokedUtc IS NULL AND (LastUsedUtc IS NULL OR LastUsedUtc < @LastUsedBefore);
        {TokenLookup}
        """;

    /// <summary>Tokens this process stamped and when; bounded, it only saves writes.</summary>
    private const int MaxRememberedStamps = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _stamped = new(StringComparer.Ordinal);

    // The audit row of a tenant or token change, in the same command text (so the same savepoint)
    // as the change, after its guards: a refused change leaves no row. As on SQL Server, it has no
    // SCIM id, user name or correlation id.
    private static string AppendAudit(string operation) => $"""
        INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, UserName, Outcome, CorrelationId)
        SELECT @Now, @TenantKey, t.CustomerId, '{operation}', NULL, NULL, '{AuditOperations.Succeeded}', NULL FROM Tenant AS t WHERE t.TenantKey = @TenantKey;
        """;

    // A number names an existing customer by id (TenantNotFound when there is none); anything else
    // is a customer name, and the customer is created when no customer has that name.
    private static readonly string AddTenantSql = $"""
        SELECT scim_fail({SqliteCommandRunner.TenantExistsCode}, '') FROM Tenant WHERE TenantKey = @TenantKey;
        SELECT scim_fail({SqliteCommandRunner.TenantNotFoundCode}, '')
        WHERE @CustomerIdCandidate IS NOT NULL AND NOT EXISTS (SELECT 1 FROM Customer WHERE CustomerId = @CustomerIdCandidate);
        INSERT INTO Customer (CustomerGuid, Name, DataCenter, Status, CreatedUtc, ModifiedUtc)
        SELECT @CustomerGuid, @CustomerName, 'EU1', 0, @Now, @Now
        WHERE @CustomerIdCandidate IS NULL AND NOT EXISTS (SELECT 1 FROM Customer WHERE Name = @CustomerName);
        INSERT INTO Tenant (TenantKey, CustomerId, CreatedUtc)
        VALUES (@TenantKey, COALESCE(@CustomerIdCandidate, (SELECT MIN(CustomerId) FROM Customer WHERE Name = @CustomerName)), @Now);
        {AppendAudit(AuditOperations.AddTenant)}
        SELECT {TenantColumns} FROM Tenant AS t JOIN Customer AS c ON c.CustomerId = t.CustomerId WHERE t.TenantKey = @TenantKey;
        """;

    private const string ListTenantsSql = $"SELECT {TenantColumns} FROM Tenant AS t JOIN Customer AS c ON c.CustomerId = t.CustomerId ORDER BY t.TenantKey;";

    private static readonly string AddTokenSql = $"""
        SELECT scim_fail({SqliteCommandRunner.TenantNotFoundCode}, '') WHERE NOT EXISTS (SELECT 1 FROM Tenant WHERE TenantKey = @TenantKey);
        INSERT INTO TenantToken (TenantId, TokenHash, CreatedUtc)
        SELECT TenantId, @TokenHash, @Now FROM Tenant WHERE TenantKey = @TenantKey;
        {AppendAudit(AuditOperations.AddToken)}
        SELECT {TokenColumns} FROM TenantToken AS k JOIN Tenant AS t ON t.TenantId = k.TenantId WHERE k.TokenHash = @TokenHash;
        """;

    private const string ListTokensSql = $"SELECT {TokenColumns} FROM TenantToken AS k JOIN Tenant AS t ON t.TenantId = k.TenantId WHERE t.TenantKey = @TenantKey ORDER BY k.TokenId;";

    // Revoking twice keeps the first revocation time.
    private static readonly string RevokeTokenSql = $"""
        SELECT scim_fail({SqliteCommandRunner.TenantNotFoundCode}, '')
        WHERE NOT EXISTS (SELECT 1 FROM TenantToken AS k JOIN Tenant AS t ON t.TenantId = k.TenantId
                          WHERE t.TenantKey = @TenantKey AND k.TokenId = @TokenId);
        UPDATE TenantToken SET RevokedUtc = COALESCE(RevokedUtc, @Now)
        WHERE TokenId = @TokenId AND TenantId = (SELECT TenantId FROM Tenant WHERE TenantKey = @TenantKey);
        {AppendAudit(AuditOperations.RevokeToken)}
        """;

    public async Task<TenantAccess?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var now = timeProvider.GetUtcNow();
        var key = Convert.ToHexString(tokenHash);

        // Within a minute of this process's last stamp the lookup is a read; otherwise the stamp
        // and the lookup are one write (one command either way).
        if (_stamped.TryGetValue(key, out var stamped) && now - stamped < LastUsedResolution)
        {
            var found = await runner.QueryAsync("find_tenant_by_token", FindByTokenHashSql, new() { { "TokenHash", tokenHash } }, MapAccess, cancellationToken);
            return found.SingleOrDefault();
        }

        var arguments = new StatementArguments
        {
            { "TokenHash", tokenHash },
            { "Now", SqliteTimestamps.ToText(now) },
            { "LastUsedBefore", SqliteTimestamps.ToText(now - LastUsedResolution) },
        };
        var rows = await runner.WriteAsync("find_tenant_by_token", FindByTokenHashAndRecordUseSql, arguments, MapAccess, cancellationToken);
        if (rows.Count == 1)
        {
            if (_stamped.Count >= MaxRememberedStamps)
            {
                _stamped.Clear();
            }

            _stamped[key] = now;
        }

        return rows.SingleOrDefault();
    }

    public async Task<Tenant> AddTenantAsync(string tenantKey, string customerNameOrId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(customerNameOrId);
        int? customerIdCandidate = int.TryParse(customerNameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        var arguments = new StatementArguments
        {
            { "TenantKey", tenantKey },
            { "CustomerIdCandidate", customerIdCandidate },
            { "CustomerName", customerNameOrId },
            { "CustomerGuid", Guid.NewGuid().ToString("D") },
            { "Now", SqliteTimestamps.ToText(timeProvider.GetUtcNow()) },
        };
        var rows = await runner.WriteAsync("add_tenant", AddTenantSql, arguments, MapTenant, cancellationToken);
        return rows.Single();
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
        => await runner.QueryAsync("list_tenants", ListTenantsSql, null, MapTenant, cancellationToken);

    public async Task<TenantToken> AddTokenAsync(string tenantKey, byte[] tokenHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantKey);
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (tokenHash.Length != 32)
        {
            throw new ArgumentException("A token hash is the 32 bytes of a SHA-256 digest.", nameof(tokenHash));
        }

        var arguments = new StatementArguments { { "TenantKey", tenantKey }, { "TokenHash", tokenHash }, { "Now", SqliteTimestamps.ToText(timeProvider.GetUtcNow()) } };
        var rows = await runner.WriteAsync("add_token", AddTokenSql, arguments, MapToken, cancellationToken);
        return rows.Single();
    }

    public async Task<IReadOnlyList<TenantToken>> ListTokensAsync(string tenantKey, CancellationToken cancellationToken)
        => await runner.QueryAsync("list_tokens", ListTokensSql, new() { { "TenantKey", tenantKey } }, MapToken, cancellationToken);

    public async Task RevokeTokenAsync(string tenantKey, int tokenId, CancellationToken cancellationToken)
    {
        var arguments = new StatementArguments { { "TenantKey", tenantKey }, { "TokenId", tokenId }, { "Now", SqliteTimestamps.ToText(timeProvider.GetUtcNow()) } };
        await runner.WriteAsync("revoke_token", RevokeTokenSql, arguments, static _ => 0, cancellationToken);
    }

    private static TenantAccess MapAccess(DbDataReader reader)
        => new(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3));

    private static Tenant MapTenant(DbDataReader reader)
        => new(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), SqliteTimestamps.Parse(reader.GetString(4)));

    private static TenantToken MapToken(DbDataReader reader) => new(
        reader.GetInt32(0),
        reader.GetString(1),
        SqliteTimestamps.Parse(reader.GetString(2)),
        reader.IsDBNull(3) ? null : SqliteTimestamps.Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : SqliteTimestamps.Parse(reader.GetString(4)));
}
