using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Configuration;

namespace Veritas.Scim.Gateway.Hosting;

/// <summary>
/// Forwarded headers from the configured trusted proxies only (Scim:TrustedProxies). ASP.NET
/// Core trusts loopback by default; that default is cleared, so that with no proxy configured no
/// X-Forwarded-* header is believed at all.
/// </summary>
internal static class PublicAddress
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ScimGatewayOptions>>((forwarded, gateway) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in gateway.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
            }
        });
        return services;
    }

    /// <summary>
    /// Notes the connection's own peer before forwarded headers rewrite it, so that the base URL
    /// can tell a request that came through a trusted proxy from one that claims to.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        // Read from configuration, not the validated options: reading those here would stop the build at
        // their first invalid value, before start-up validation can report every problem at once.
        if (!app.Configuration.GetSection($"{ScimGatewayOptions.SectionName}:{nameof(ScimGatewayOptions.TrustedProxies)}").GetChildren().Any())
        {
            return app;
        }

        app.Use((context, next) =>
        {
            context.Features.Set(new ConnectionPeer(context.Connection.RemoteIpAddress));
            return next(context);
        });
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>Whether the connection itself (not a header) comes from a configured trusted proxy.</summary>
    public static bool IsFromTrustedProxy(HttpContext context, ForwardedHeadersOptions forwarded)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(forwarded);
        if (context.Features.Get<ConnectionPeer>()?.Address is not { } peer)
        {
            return false;
        }

        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        return forwarded.KnownProxies.Any(p => p.Equals(peer)) || forwarded.KnownIPNetworks.Any(n => n.Contains(peer));
    }

    private sealed record ConnectionPeer(IPAddress? Address);
}
