using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Storage;

/// <summary>
/// On the embedded store, the first start creates a tenant "demo" for the seeded demo customer
/// and prints its Tenant URL and Secret Token once, so that a newcomer can call the gateway at
/// once. The token goes to the console only, never to the logs.
/// </summary>
internal sealed class DemoTenantBootstrapper(ITenantStore tenants, IServer server, IHostApplicationLifetime lifetime, ILogger<DemoTenantBootstrapper> logger) : IHostedService
{
    public const string DemoTenantKey = "demo";
    public const string DemoCustomerName = "Demo Customer";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await tenants.ListTenantsAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        var tenant = await tenants.AddTenantAsync(DemoTenantKey, DemoCustomerName, cancellationToken);
        var token = TenantTokens.Generate();
        await tenants.AddTokenAsync(tenant.TenantKey, TenantTokens.Hash(token), cancellationToken);
        GatewayLog.DemoTenantCreated(logger, tenant.TenantKey, tenant.CustomerId);

        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            Console.Out.WriteLine($"""

                Veritas SCIM Gateway: demo tenant created (shown once).
                  Tenant URL:   {address.TrimEnd('/')}/scim/{DemoTenantKey}/v2
                  Secret Token: {token}

                """);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
