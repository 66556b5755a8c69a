using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Diagnostics;
using Yarp.ReverseProxy.Configuration;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>
/// The step inside YARP's pipeline that answers SCIM routes in-process: a route whose metadata
/// says <c>Handler=Scim</c> never reaches the forwarder. Those routes name a cluster without
/// destinations, so a route misconfigured without the metadata fails closed (503) instead of
/// leaking SCIM traffic to the archive; a route with the metadata but without the tenant
/// authorization policy fails closed the same way.
/// </summary>
internal static class ScimProxyPipeline
{
    public const string HandlerMetadataKey = "Handler";
    public const string ScimHandler = "Scim";

    public static IReverseProxyApplicationBuilder UseScimHandler(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.Use(async (context, next) =>
        {
            var route = context.GetReverseProxyFeature().Route.Config;
            if (IsScimRoute(route))
            {
                if (!TenantAccessClaims.IsPresent(context.User))
                {
                    // A SCIM route configured without the scim-tenant policy fails closed, like one without the metadata.
                    GatewayLog.ScimRouteWithoutTenantPolicy(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScimProxyPipeline)), route.RouteId);
                    await ScimResultWriter.WriteAsync(context, ScimErrors.RouteWithoutTenantPolicy());
                    return;
                }

                await context.RequestServices.GetRequiredService<ScimRequestHandler>().HandleAsync(context);
                return;
            }

            await next();
        });
        return pipeline;
    }

    public static bool IsScimRoute(RouteConfig route) =>
        route.Metadata is { } metadata
        && metadata.TryGetValue(HandlerMetadataKey, out var handler)
        && string.Equals(handler, ScimHandler, StringComparison.OrdinalIgnoreCase);
}
