using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Gateway.Hosting;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>
/// The SCIM base URL of a request (Location, meta.location, discovery). Its origin is, in order:
/// <list type="number">
/// <item>Scim:PublicBaseUrl, when configured;</item>
/// <item>the forwarded scheme and host, when the connection comes from a Scim:TrustedProxies entry;</item>
/// <item>the request's Host, when AllowedHosts names hosts (host filtering has refused every other Host);</item>
/// <item>otherwise the address Kestrel listens on for this connection (<c>http://localhost:5000</c>).</item>
/// </list>
/// So an arbitrary Host header never becomes a URL the gateway hands out. The path is whatever
/// the route matched before <c>{**rest}</c>, so it follows the configured route table.
/// </summary>
internal sealed class ScimBaseUrl(
    IOptions<ScimGatewayOptions> options,
    IOptions<ForwardedHeadersOptions> forwarded,
    IOptions<HostFilteringOptions> hostFiltering,
    IServer server)
{
    private readonly Uri? _public = options.Value.PublicBaseUrl is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null;

    public string For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var path = (request.Path.Value ?? string.Empty).AsSpan().TrimEnd('/');
        var rest = (context.GetRouteValue("rest") as string ?? string.Empty).AsSpan().TrimEnd('/');
        var basePath = rest.Length > 0 && path.Length > rest.Length && path[^(rest.Length + 1)] == '/' && path.EndsWith(rest, StringComparison.Ordinal)
            ? path[..^(rest.Length + 1)]
            : path;
        var routePath = request.PathBase.ToUriComponent() + new PathString(basePath.ToString()).ToUriComponent();
        if (_public is not null)
        {
            return _public.GetLeftPart(UriPartial.Authority) + _public.AbsolutePath.TrimEnd('/') + routePath;
        }

        return Origin(context) + routePath;
    }

    private string Origin(HttpContext context)
    {
        var request = context.Request;
        if (PublicAddress.IsFromTrustedProxy(context, forwarded.Value) || HostIsFiltered)
        {
            return $"{request.Scheme}://{request.Host.ToUriComponent()}";
        }

        return ListeningOrigin(context);
    }

    private bool HostIsFiltered
    {
        get
        {
            var hosts = hostFiltering.Value.AllowedHosts;
            return hosts is { Count: > 0 } && !hosts.Contains("*");
        }
    }

    /// <summary>The listening origin per (scheme, local address, port): the same for every request of a connection, and worked out once.</summary>
    private readonly ConcurrentDictionary<(bool Https, System.Net.IPAddress? Address, int Port), string> _listeningOrigins = new();

    private string ListeningOrigin(HttpContext context)
    {
        var connection = context.Connection;
        var key = (context.Request.IsHttps, connection.LocalIpAddress, connection.LocalPort);
        if (_listeningOrigins.TryGetValue(key, out var known))
        {
            return known;
        }

        var origin = FindListeningOrigin(context);
        if (_listeningOrigins.Count < 64)
        {
            _listeningOrigins.TryAdd(key, origin);
        }

        return origin;
    }

    private string FindListeningOrigin(HttpContext context)
    {
        var connection = context.Connection;
        var scheme = context.Request.IsHttps ? "https" : "http";
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var listening)
                && listening.Port == connection.LocalPort
                && listening.Scheme == scheme
                && listening.Host is not ("wildcard" or "0.0.0.0" or "[::]"))
            {
                return listening.GetLeftPart(UriPartial.Authority);
            }
        }

        var local = connection.LocalIpAddress;
        var host = local is null ? "localhost" : local.IsIPv4MappedToIPv6 ? local.MapToIPv4().ToString() : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"{scheme}://{host}:{connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
