using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Protocol.Discovery;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>
/// Answers one SCIM request in-process: matches <c>/scim/{tenant}/v2/{**rest}</c> against
/// <see cref="ScimOperations"/>, reads the body once into a typed message, runs the operation and
/// hands its <see cref="ScimResult"/> (or the failure's SCIM error) to the one writer.
/// </summary>
internal sealed class ScimRequestHandler(ScimUserService users, ScimBaseUrl baseUrls, IOptions<ScimGatewayOptions> options, ILogger<ScimRequestHandler> logger)
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    public async Task HandleAsync(HttpContext context)
    {
        var rest = context.GetRouteValue("rest") as string ?? string.Empty;
        var rawRest = ScimOperations.RawRest(context.Features.Get<IHttpRequestFeature>()?.RawTarget, rest);
        var match = ScimOperations.Resolve(context.Request.Method, rest, rawRest);
        using var operation = ScimOperationTelemetry.Start(context, match, logger);
        ScimResult? result;
        try
        {
            result = await RunAsync(context, match, rest);
        }
        catch (Exception failure) when (!context.Response.HasStarted)
        {
            result = Failed(context, match, failure);
        }

        if (result is ScimDocumentResult document && !context.RequestAborted.IsCancellationRequested)
        {
            try
            {
                // A resource is written from the account only now: what fails in writing it is answered like a failure to run.
                await ScimResultWriter.WriteAsync(context, document);
                return;
            }
            catch (Exception failure) when (!context.Response.HasStarted)
            {
                result = Failed(context, match, failure);
            }
        }

        if (result is ScimErrorResult error)
        {
            operation.Refused(error.ScimType);
        }

        if (result is not null && !context.RequestAborted.IsCancellationRequested)
        {
            await ScimResultWriter.WriteAsync(context, result);
        }
    }

    private ScimErrorResult? Failed(HttpContext context, ScimOperationMatch match, Exception failure)
    {
        var aborted = context.RequestAborted.IsCancellationRequested;
        var operationName = match.OperationName;
        var failureName = failure.GetType().Name;
        var result = ScimErrors.From(failure, aborted, out var unexpected, match.Id);
        if (unexpected)
        {
            GatewayLog.ScimRequestFailed(logger, failure, context.Request.Method, operationName);
        }
        else if (result is null || failure is BadHttpRequestException or IOException)
        {
            // The client's own doing (garbage on the wire, a body cut short, a hang-up): not the gateway's error.
            GatewayLog.ScimRequestUnreadable(logger, context.Request.Method, operationName, failureName);
        }

        return result;
    }

    private async Task<ScimResult> RunAsync(HttpContext context, ScimOperationMatch match, string rest)
    {
        if (match.Endpoint is not { IsServed: true } endpoint)
        {
            return ScimErrors.NoEndpoint(match, rest.Trim('/'));
        }

        if (match.Method is not { } method)
        {
            return ScimErrors.MethodNotAllowed(context.Request.Method, endpoint);
        }

        var request = context.Request;
        var cancellation = context.RequestAborted;
        var id = match.Id ?? string.Empty;
        var preconditions = EntityPreconditions.From(
            request.Headers.IfMatch.Count > 0 ? request.Headers.IfMatch.ToString() : null,
            request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null);
        var baseUrl = baseUrls.For(context);
        return method.Kind switch
        {
            ScimOperationKind.QueryUsers => await QueryAsync(context, baseUrl, ScimQuery.FromParameters(p => request.Query[p].FirstOrDefault(), User, QueryOptions)),
            ScimOperationKind.SearchUsers => await QueryAsync(context, baseUrl, ScimQuery.FromSearchRequest(await ReadBodyAsync(context), User, QueryOptions)),
            ScimOperationKind.CreateUser => UserResult(context, StatusCodes.Status201Created, await users.CreateAsync(Tenant(context, baseUrl), ResourceBody.Parse(await ReadBodyAsync(context), User), cancellation), withLocation: true),
            ScimOperationKind.GetUser => Conditional(context, preconditions, await users.GetAsync(Tenant(context, baseUrl), id, cancellation)),
            ScimOperationKind.ReplaceUser => UserResult(context, StatusCodes.Status200OK, await users.ReplaceAsync(Tenant(context, baseUrl), id, ResourceBody.Parse(await ReadBodyAsync(context), User), preconditions, cancellation), withLocation: false),
            ScimOperationKind.PatchUser => UserResult(context, StatusCodes.Status200OK, await users.PatchAsync(Tenant(context, baseUrl), id, PatchRequest.Parse(await ReadBodyAsync(context)), preconditions, cancellation), withLocation: false),
            ScimOperationKind.DeleteUser => await DeleteAsync(context, baseUrl, id, preconditions),
            ScimOperationKind.GetServiceProviderConfig => Document(DiscoveryDocuments.ServiceProviderConfig(Capabilities, baseUrl)),
            ScimOperationKind.ListResourceTypes => Document(ScimDocuments.ListResponse([DiscoveryDocuments.ResourceType(User, baseUrl)], 1, 1)),
            ScimOperationKind.GetResourceType => Document(string.Equals(id, User.Name, StringComparison.OrdinalIgnoreCase)
                ? DiscoveryDocuments.ResourceType(User, baseUrl)
                : throw ScimException.NotFound($"Resource type '{id}' is not served here.")),
            ScimOperationKind.ListSchemas => Document(SchemaList(baseUrl)),
            ScimOperationKind.GetSchema => Document(User.FindSchema(id) is { } schema
                ? DiscoveryDocuments.Schema(schema, baseUrl)
                : throw ScimException.NotFound($"Schema '{id}' is not served here.")),
            _ => throw new UnreachableException($"No handler for {method.Kind}."),
        };
    }

    private static ScimDocumentResult Document(JsonNode document) => new(StatusCodes.Status200OK, document);

    private static JsonObject SchemaList(string baseUrl)
    {
        var schemas = User.AllSchemas.Select(s => DiscoveryDocuments.Schema(s, baseUrl)).ToList();
        return ScimDocuments.ListResponse(schemas, schemas.Count, 1);
    }

    private async Task<ScimResult> DeleteAsync(HttpContext context, string baseUrl, string id, EntityPreconditions? preconditions)
    {
        await users.DeleteAsync(Tenant(context, baseUrl), id, preconditions, context.RequestAborted);
        return new ScimNoContentResult();
    }

    private async Task<ScimResult> QueryAsync(HttpContext context, string baseUrl, ScimQuery query)
    {
        var page = await users.QueryAsync(Tenant(context, baseUrl), query, context.RequestAborted);
        var (attributes, excluded) = (query.Attributes, query.ExcludedAttributes);
        return new ScimDocumentResult(
            StatusCodes.Status200OK,
            writer => ScimDocuments.WriteListResponse(writer, page.Resources, page.TotalResults, page.StartIndex, (w, resource) => WriteProjected(w, resource, attributes, excluded)));
    }

    /// <summary>
    /// A GET of a user under its preconditions (RFC 7644 §3.14, RFC 9110 §13.1.1–2, weak
    /// comparison): If-Match that lists no current tag is 412; If-None-Match that lists the current
    /// version (or <c>*</c>) is 304 without a body; otherwise the user. The user is read first, so a
    /// missing one is 404 whatever the headers name (§13.2.1).
    /// </summary>
    private static ScimResult Conditional(HttpContext context, EntityPreconditions? preconditions, ScimUserResult result)
        => preconditions?.NoneMatchExcludes(result.ETag) == true
            ? new ScimNotModifiedResult(result.ETag)
            : UserResult(context, StatusCodes.Status200OK, result, withLocation: false);

    private static ScimDocumentResult UserResult(HttpContext context, int status, ScimUserResult result, bool withLocation)
    {
        var query = context.Request.Query;
        var attributes = AttributeProjection.ParseList(query["attributes"].FirstOrDefault(), User);
        var excluded = AttributeProjection.ParseList(query["excludedAttributes"].FirstOrDefault(), User);
        return new ScimDocumentResult(status, writer => WriteProjected(writer, result.Resource, attributes, excluded), result.ETag, withLocation ? result.Resource.Location : null);
    }

    /// <summary>A resource as the request's attributes and excludedAttributes project it; with neither, written straight from the account.</summary>
    private static void WriteProjected(Utf8JsonWriter writer, UserResource resource, IReadOnlyList<AttributePath> attributes, IReadOnlyList<AttributePath> excluded)
    {
        if (attributes.Count == 0 && excluded.Count == 0)
        {
            resource.WriteTo(writer);
        }
        else
        {
            AttributeProjection.ApplyToOwned(resource.Tree, User, attributes, excluded).WriteTo(writer);
        }
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
            throw new ScimRefusedException(ScimErrors.UnsupportedMediaType());
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw new ScimRefusedException(ScimErrors.BodyTooLarge(limit));
        }

        // Pooled: a body is parsed as soon as it is read, and nothing keeps a reference to its bytes.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, limit + 1L));
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    throw new ScimRefusedException(ScimErrors.BodyTooLarge(limit));
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return ScimJson.ParseObject(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ScimTenantContext Tenant(HttpContext context, string baseUrl)
    {
        var (tenantKey, customerId) = TenantAccessClaims.Read(context.User);
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        return new ScimTenantContext(tenantKey, customerId, baseUrl, correlationId);
    }

    private ScimQueryOptions QueryOptions => new()
    {
        MaxResults = options.Value.MaxResults,
        Filter = new FilterParserOptions { MaxLength = options.Value.MaxFilterLength, MaxDepth = options.Value.MaxFilterDepth },
    };

    private ServiceProviderCapabilities Capabilities => new(options.Value.MaxResults, options.Value.MaxRequestBodyBytes);
}
