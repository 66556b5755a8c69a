using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Infrastructure;

/// <summary>The gateway's real tenant store, counting how often a token is looked up.</summary>
public sealed class CountingTenantStore(ITenantStore inner) : ITenantStore
{
    private int _tokenLookups;

    public int TokenLookups => Volatile.Read(ref _tokenLookups);

    /// <summary>Replaces the registered tenant store with a counting wrapper around it.</summary>
    public static void Install(IServiceCollection services, Action<CountingTenantStore> created)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ITenantStore));
        services.Remove(registered);
        services.AddSingleton<ITenantStore>(provider =>
        {
            var real = registered.ImplementationInstance as ITenantStore
                ?? registered.ImplementationFactory?.Invoke(provider) as ITenantStore
                ?? (ITenantStore)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!);
            var counting = new CountingTenantStore(real);
            created(counting);
            return counting;
        });
    }

    public Task<TenantAccess?> FindByTokenHashAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenLookups);
        return inner.FindByTokenHashAsync(tokenHash, cancellationToken);
    }

    public Task<Tenant> AddTenantAsync(string tenantKey, string customerNameOrId, CancellationToken cancellationToken) => inner.AddTenantAsync(tenantKey, customerNameOrId, cancellationToken);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) => inner.ListTenantsAsync(cancellationToken);

    public Task<TenantToken> AddTokenAsync(string tenantKey, byte[] tokenHash, CancellationToken cancellationToken) => inner.AddTokenAsync(tenantKey, tokenHash, cancellationToken);

    public Task<IReadOnlyList<TenantToken>> ListTokensAsync(string tenantKey, CancellationToken cancellationToken) => inner.ListTokensAsync(tenantKey, cancellationToken);

    public Task RevokeTokenAsync(string tenantKey, int tokenId, CancellationToken cancellationToken) => inner.RevokeTokenAsync(tenantKey, tokenId, cancellationToken);
}
