using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>Tenants and their token hashes in scim.Tenant and scim.TenantToken.</summary>
internal sealed class SqlServerTenantStore(SqlServerCommandRunner runner) : ITenantStore
{
    public async Task<TenantAccess?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var rows = await runner.QueryAsync<TenantResolveTokenCall, TenantAccessRow>(new TenantResolveTokenCall(tokenHash), cancellationToken);
        return rows.Count == 0 ? null : rows[0].ToTenantAccess();
    }

    public async Task<Tenant> AddTenantAsync(string tenantKey, string customerNameOrId, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync<TenantAddCall, TenantRow>(new TenantAddCall(tenantKey, customerNameOrId), cancellationToken);
        return rows.Single().ToTenant();
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync<TenantListCall, TenantRow>(new TenantListCall(), cancellationToken);
        return rows.Select(row => row.ToTenant()).ToList();
    }

    public async Task<TenantToken> AddTokenAsync(string tenantKey, byte[] tokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var rows = await runner.QueryAsync<TokenAddCall, TokenRow>(new TokenAddCall(tenantKey, tokenHash), cancellationToken);
        return rows.Single().ToTenantToken();
    }

    public async Task<IReadOnlyList<TenantToken>> ListTokensAsync(string tenantKey, CancellationToken cancellationToken)
    {
        var rows = await runner.QueryAsync<TokenListCall, TokenRow>(new TokenListCall(tenantKey), cancellationToken);
        return rows.Select(row => row.ToTenantToken()).ToList();
    }

    public Task RevokeTokenAsync(string tenantKey, int tokenId, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(new TokenRevokeCall(tenantKey, tokenId), cancellationToken);
}
