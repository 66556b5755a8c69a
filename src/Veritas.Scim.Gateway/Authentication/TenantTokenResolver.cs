using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Authentication;

/// <summary>
/// Resolves a bearer token to its tenant by the token's hash, caching answers briefly so that
/// Entra's steady traffic does not cost a database round trip per request. A revoked token stops
/// working within <see cref="ScimGatewayOptions.TokenCacheDuration"/>. Tokens found to be bad are
/// remembered in a cache of their own with a size limit, so that made-up tokens cannot grow it
/// without bound (the per-address failure limit bounds how fast they arrive).
/// </summary>
internal sealed class TenantTokenResolver : IDisposable
{
    private readonly ITenantStore _tenants;
    private readonly MemoryCache _valid = new(new MemoryCacheOptions());
    private readonly MemoryCache _invalid;
    private readonly IOptions<ScimGatewayOptions> _options;

    public TenantTokenResolver(ITenantStore tenants, IOptions<ScimGatewayOptions> options, IOptions<ScimFailedAuthenticationOptions> failures)
    {
        _tenants = tenants;
        _options = options;
        _invalid = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, failures.Value.NegativeCacheSize) });
    }

    /// <summary>How many bad tokens are remembered now (never more than Scim:FailedAuthentication:NegativeCacheSize).</summary>
    public int RememberedInvalidTokens => _invalid.Count;

    public async Task<TenantAccess?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TenantTokens.Hash(token);
        var key = Convert.ToHexString(hash);
        if (_valid.TryGetValue(key, out TenantAccess? cached) && cached is not null)
        {
            return cached;
        }

        if (_invalid.TryGetValue(key, out _))
        {
            return null;
        }

        var access = await _tenants.FindByTokenHashAsync(hash, cancellationToken);
        var duration = _options.Value.TokenCacheDuration;
        if (duration > TimeSpan.Zero)
        {
            if (access is not null)
            {
                _valid.Set(key, access, duration);
            }
            else
            {
                _invalid.Set(key, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
            }
        }

        return access;
    }

    public void Dispose()
    {
        _valid.Dispose();
        _invalid.Dispose();
    }
}
