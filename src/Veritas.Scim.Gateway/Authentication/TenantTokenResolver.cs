using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Authentication;

/// <summary>
/// Resolves a bearer token to its tenant by the token's hash, caching answers briefly so that
/// Entra's steady traffic does not cost a database round trip per request. A revoked token stops
/// working within <see cref="ScimGatewayOptions.TokenCacheDuration"/>.
/// </summary>
internal sealed class TenantTokenResolver(ITenantStore tenants, IMemoryCache cache, IOptions<ScimGatewayOptions> options)
{
    public async Task<TenantAccess?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TenantTokens.Hash(token);
        var key = (nameof(TenantTokenResolver), Convert.ToHexString(hash));
        if (cache.TryGetValue(key, out TenantAccess? cached))
        {
            return cached;
        }

        var access = await tenants.FindByTokenHashAsync(hash, cancellationToken);
        var duration = options.Value.TokenCacheDuration;
        if (duration > TimeSpan.Zero)
        {
            cache.Set(key, access, duration);
        }

        return access;
    }
}
