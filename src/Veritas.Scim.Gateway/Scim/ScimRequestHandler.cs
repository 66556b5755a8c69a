using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Protocol.Discovery;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>
/// Answers one SCIM request in-process: dispatches <c>/scim/{tenant}/v2/{**rest}</c> to the
/// User operations and the discovery documents, and turns every failure into a SCIM error.
/// </summary>
internal sealed class ScimRequestHandler(ScimUserService users, IOptions<ScimGatewayOptions> options, ILogger<ScimRequestHandler> logger)
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    public async Task HandleAsync(HttpContext context)
    {
        using var operation = ScimOperationTelemetry.Start(context, logger);
        try
        {
            await DispatchAsync(context);
        }
        catch (ScimException error)
        {
            operation.Refused(error);
            await ScimResults.WriteErrorAsync(context, error);
        }
        catch (ArchiveStoreUnavailableException unavailable)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ScimResults.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, null, "The archive store is unavailable; retry later.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            GatewayLog.ScimRequestFailed(logger, ex, context.Request.Method, RouteTemplate(context));
            await ScimResults.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, null, "The gateway could not complete the request.");
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var rest = (context.GetRouteValue("rest") as string ?? string.Empty).Trim('/');
        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var method = request.Method;

        switch (segments)
        {
            case ["Users"] or ["users"] when HttpMethods.IsGet(method):
                await QueryAsync(context, ScimQuery.FromParameters(p => request.Query[p].FirstOrDefault(), User, QueryOptions));
                return;
            case ["Users"] or ["users"] when HttpMethods.IsPost(method):
                {
                    var created = await users.CreateAsync(Tenant(context), await ReadBodyAsync(context), context.RequestAborted);
                    await WriteUserAsync(context, StatusCodes.Status201Created, created, withLocation: true);
                    return;
                }

            case ["Users", ".search"] or [".search"] when HttpMethods.IsPost(method):
                await QueryAsync(context, ScimQuery.FromSearchRequest(await ReadBodyAsync(context), User, QueryOptions));
                return;
            case ["Users", var id] when id != ".search":
                await UserAsync(context, Uri.UnescapeDataString(id));
                return;
            case ["ServiceProviderConfig"] when HttpMethods.IsGet(method):
                await ScimResults.WriteAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ServiceProviderConfig(Capabilities, BaseUrl(context)));
                return;
            case ["ResourceTypes"] when HttpMethods.IsGet(method):
                await ScimResults.WriteAsync(context, StatusCodes.Status200OK, ScimDocuments.ListResponse([DiscoveryDocuments.ResourceType(User, BaseUrl(context))], 1, 1));
                return;
            case ["ResourceTypes", var type] when HttpMethods.IsGet(method):
                await ScimResults.WriteAsync(context, StatusCodes.Status200OK, string.Equals(type, User.Name, StringComparison.OrdinalIgnoreCase)
                    ? DiscoveryDocuments.ResourceType(User, BaseUrl(context))
                    : throw ScimException.NotFound($"Resource type '{type}' is not served here."));
                return;
            case ["Schemas"] when HttpMethods.IsGet(method):
                {
                    var schemas = User.AllSchemas.Select(s => DiscoveryDocuments.Schema(s, BaseUrl(context))).ToList();
                    await ScimResults.WriteAsync(context, StatusCodes.Status200OK, ScimDocuments.ListResponse(schemas, schemas.Count, 1));
                    return;
                }

            case ["Schemas", var schemaId] when HttpMethods.IsGet(method):
                await ScimResults.WriteAsync(context, StatusCodes.Status200OK, User.FindSchema(Uri.UnescapeDataString(schemaId)) is { } schema
                    ? DiscoveryDocuments.Schema(schema, BaseUrl(context))
                    : throw ScimException.NotFound($"Schema '{schemaId}' is not served here."));
                return;
            case ["Users"] or ["users"] or ["Users", ".search"] or [".search"] or ["ServiceProviderConfig"] or ["ResourceTypes", ..] or ["Schemas", ..]:
                await MethodNotAllowedAsync(context, segments);
                return;
            default:
                throw ScimException.NotFound(segments.Length > 0 && segments[0].Equals("Groups", StringComparison.OrdinalIgnoreCase)
                    ? "Groups are not managed by this gateway."
                    : $"There is no SCIM endpoint at '/{rest}'.");
        }
    }

    private async Task UserAsync(HttpContext context, string id)
    {
        var method = context.Request.Method;
        var ifMatch = context.Request.Headers.IfMatch.Count > 0 ? context.Request.Headers.IfMatch.ToString() : null;
        if (HttpMethods.IsGet(method))
        {
            await WriteUserAsync(context, StatusCodes.Status200OK, await users.GetAsync(Tenant(context), id, context.RequestAborted), withLocation: false);
        }
        else if (HttpMethods.IsPut(method))
        {
            await WriteUserAsync(context, StatusCodes.Status200OK, await users.ReplaceAsync(Tenant(context), id, await ReadBodyAsync(context), ifMatch, context.RequestAborted), withLocation: false);
        }
        else if (HttpMethods.IsPatch(method))
        {
            await WriteUserAsync(context, StatusCodes.Status200OK, await users.PatchAsync(Tenant(context), id, await ReadBodyAsync(context), ifMatch, context.RequestAborted), withLocation: false);
        }
        else if (HttpMethods.IsDelete(method))
        {
            await users.DeleteAsync(Tenant(context), id, ifMatch, context.RequestAborted);
            await ScimResults.WriteAsync(context, StatusCodes.Status204NoContent, null);
        }
        else
        {
            await MethodNotAllowedAsync(context, ["Users", id]);
        }
    }

    private async Task QueryAsync(HttpContext context, ScimQuery query)
    {
        var page = await users.QueryAsync(Tenant(context), query, context.RequestAborted);
        var resources = page.Resources.Select(r => AttributeProjection.Apply(r, User, query.Attributes, query.ExcludedAttributes));
        await ScimResults.WriteAsync(context, StatusCodes.Status200OK, ScimDocuments.ListResponse(resources, page.TotalResults, page.StartIndex));
    }

    private static async Task WriteUserAsync(HttpContext context, int status, ScimUserResult result, bool withLocation)
    {
        var query = context.Request.Query;
        var projected = AttributeProjection.Apply(
            result.Resource,
            User,
            AttributeProjection.ParseList(query["attributes"].FirstOrDefault(), User),
            AttributeProjection.ParseList(query["excludedAttributes"].FirstOrDefault(), User));
        var location = withLocation ? (string?)result.Resource["meta"]?["location"] : null;
        await ScimResults.WriteAsync(context, status, projected, result.ETag, location);
    }

    private static Task MethodNotAllowedAsync(HttpContext context, string[] segments)
    {
        context.Response.Headers.Allow = segments switch
        {
            ["Users"] or ["users"] => "GET, POST",
            ["Users", ".search"] or [".search"] => "POST",
            ["Users", _] => "GET, PUT, PATCH, DELETE",
            _ => "GET",
        };
        return ScimResults.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, null, $"{context.Request.Method} is not supported here.");
    }

    /// <summary>
    /// Reads the body within the gateway's limit. The route's MaxRequestBodySize does not apply
    /// to a request answered inside the proxy pipeline, so the limit is enforced here.
    /// </summary>
    private async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (!ScimJson.IsAcceptedContentType(request.ContentType))
        {
            throw new ScimException(StatusCodes.Status415UnsupportedMediaType, null, "Send the body as application/scim+json or application/json.");
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return ScimJson.ParseObject(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static ScimException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, null, $"The request body is larger than {limit} bytes.");

    private static ScimTenantContext Tenant(HttpContext context)
    {
        var (tenantKey, customerId) = TenantAccessClaims.Read(context.User);
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        return new ScimTenantContext(tenantKey, customerId, BaseUrl(context), correlationId);
    }

    /// <summary>
    /// The SCIM base URL is whatever the route matched before <c>{**rest}</c>, so that Location and
    /// meta.location follow the configured route table rather than one hard-coded template.
    /// </summary>
    private static string BaseUrl(HttpContext context)
    {
        var request = context.Request;
        var path = (request.Path.Value ?? string.Empty).TrimEnd('/');
        var rest = (context.GetRouteValue("rest") as string ?? string.Empty).TrimEnd('/');
        var basePath = rest.Length > 0 && path.EndsWith("/" + rest, StringComparison.Ordinal) ? path[..^(rest.Length + 1)] : path;
        return $"{request.Scheme}://{request.Host}{request.PathBase.ToUriComponent()}{new PathString(basePath).ToUriComponent()}";
    }

    private static string RouteTemplate(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";

    private ScimQueryOptions QueryOptions => new()
    {
        MaxResults = options.Value.MaxResults,
        Filter = new FilterParserOptions { MaxLength = options.Value.MaxFilterLength, MaxDepth = options.Value.MaxFilterDepth },
    };

    private ServiceProviderCapabilities Capabilities => new(options.Value.MaxResults, options.Value.MaxRequestBodyBytes);
}
