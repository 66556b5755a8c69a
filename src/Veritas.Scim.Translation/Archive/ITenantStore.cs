namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The adapter's tenants and their secret tokens (scim.Tenant, scim.TenantToken). Tokens are
/// only ever seen here as SHA-256 hashes.
/// </summary>
public interface ITenantStore
{
    /// <summary>
    /// The live (not revoked) token with this hash, with its tenant; records last use.
    /// Null when no live token has this hash.
    /// </summary>
    Task<TenantAccess?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>Maps a new tenant key to a customer, creating the customer by name when it does not exist.</summary>
    /// <exception cref="ArchiveStoreException">TenantExists.</exception>
    Task<Tenant> AddTenantAsync(string tenantKey, string customerNameOrId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken);

    /// <summary>Adds a live token (by hash) to a tenant; several may be live at once for rotation.</summary>
    /// <exception cref="ArchiveStoreException">TenantNotFound.</exception>
    Task<TenantToken> AddTokenAsync(string tenantKey, byte[] tokenHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<TenantToken>> ListTokensAsync(string tenantKey, CancellationToken cancellationToken);

    /// <summary>Revokes a token at once.</summary>
    /// <exception cref="ArchiveStoreException">TenantNotFound when the tenant or the token is not there.</exception>
    Task RevokeTokenAsync(string tenantKey, int tokenId, CancellationToken cancellationToken);
}

public sealed record Tenant(int TenantId, string TenantKey, int CustomerId, string CustomerName, DateTimeOffset CreatedUtc);

public sealed record TenantToken(int TokenId, string TenantKey, DateTimeOffset CreatedUtc, DateTimeOffset? LastUsedUtc, DateTimeOffset? RevokedUtc);

/// <summary>What a valid token grants: one tenant, one customer.</summary>
public sealed record TenantAccess(int TenantId, string TenantKey, int CustomerId, int TokenId);
