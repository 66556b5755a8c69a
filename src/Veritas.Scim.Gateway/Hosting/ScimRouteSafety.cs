using Veritas.Scim.Gateway.Scim;
using Yarp.ReverseProxy.Configuration;

namespace Veritas.Scim.Gateway.Hosting;

/// <summary>
/// Checks every SCIM route (metadata <c>Handler=Scim</c>) when YARP loads the route table: it
/// must carry the tenant authorization policy, take <c>{tenant}</c> and end in <c>{**rest}</c>,
/// and its cluster must have no destinations (SCIM is answered in-process, never forwarded). An
/// unsafe route fails start-up with one line naming it; on a hot reload YARP keeps the last good
/// table. The per-request check in <see cref="ScimProxyPipeline"/> stays as a backstop.
/// </summary>
internal sealed class ScimRouteSafety : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(route);
        var problems = Problems(route, cluster).ToList();
        return problems.Count == 0
            ? new(route)
            : throw new InvalidOperationException($"SCIM route '{route.RouteId}' is unsafe and was not loaded: {string.Join("; ", problems)}.");
    }

    /// <summary>What is wrong with a route (nothing for a route that is not a SCIM route).</summary>
    public static IEnumerable<string> Problems(RouteConfig route, ClusterConfig? cluster)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (!ScimProxyPipeline.IsScimRoute(route))
        {
            yield break;
        }

        if (!string.Equals(route.AuthorizationPolicy, ScimGatewayApplication.ScimAuthorizationPolicy, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"AuthorizationPolicy must be '{ScimGatewayApplication.ScimAuthorizationPolicy}' (is '{route.AuthorizationPolicy ?? "none"}')";
        }

        var path = route.Match.Path ?? string.Empty;
        if (!path.Contains("{tenant}", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Match.Path '{path}' must contain {{tenant}}";
        }

        if (!path.EndsWith("{**rest}", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Match.Path '{path}' must end with {{**rest}}";
        }

        if (cluster?.Destinations is { Count: > 0 })
        {
            yield return $"its cluster '{cluster.ClusterId}' must have no destinations (SCIM is answered in-process)";
        }
    }
}
