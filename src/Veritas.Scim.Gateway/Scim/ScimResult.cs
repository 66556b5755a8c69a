using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>What a SCIM handler answers; <see cref="ScimResultWriter"/> is the one place that writes it.</summary>
internal abstract record ScimResult(int Status);

/// <summary>A SCIM document (a resource, a list, a discovery document), with the resource's ETag and Location when it has them.</summary>
internal sealed record ScimDocumentResult(int Status, JsonNode Document, string? ETag = null, string? Location = null) : ScimResult(Status);

/// <summary>204: done, nothing to say (DELETE).</summary>
internal sealed record ScimNoContentResult() : ScimResult(StatusCodes.Status204NoContent);

/// <summary>
/// A SCIM error (RFC 7644 §3.12), made only by <see cref="ScimErrors"/>; the headers it needs
/// (Allow, Retry-After, WWW-Authenticate) travel with it.
/// </summary>
internal sealed record ScimErrorResult(int Status, ScimErrorType? ScimType, string Detail) : ScimResult(Status)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>Writes every SCIM answer: every body is <c>application/scim+json</c>.</summary>
internal static class ScimResultWriter
{
    public static async Task WriteAsync(HttpContext context, ScimResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        var response = context.Response;
        response.StatusCode = result.Status;
        JsonNode? document = null;
        switch (result)
        {
            case ScimDocumentResult resource:
                if (resource.ETag is not null)
                {
                    response.Headers.ETag = resource.ETag;
                }

                if (resource.Location is not null)
                {
                    response.Headers.Location = resource.Location;
                }

                document = resource.Document;
                break;
            case ScimErrorResult error:
                foreach (var (name, value) in error.Headers)
                {
                    response.Headers[name] = value;
                }

                document = ScimDocuments.Error(error.Status, error.ScimType, error.Detail);
                break;
        }

        if (document is null)
        {
            return;
        }

        response.ContentType = ScimJson.MediaType + "; charset=utf-8";
        await response.Body.WriteAsync(ScimJson.SerializeToUtf8(document), context.RequestAborted);
    }
}
