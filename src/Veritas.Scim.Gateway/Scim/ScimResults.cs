using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>Writes SCIM documents: every response is <c>application/scim+json</c>.</summary>
internal static class ScimResults
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode? document, string? etag = null, string? location = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (document is null)
        {
            return;
        }

        response.ContentType = ScimJson.MediaType + "; charset=utf-8";
        await response.Body.WriteAsync(ScimJson.SerializeToUtf8(document), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, ScimErrorType? scimType, string detail) =>
        WriteAsync(context, status, ScimDocuments.Error(status, scimType, detail));

    public static Task WriteErrorAsync(HttpContext context, ScimException error) =>
        WriteAsync(context, error.Status, ScimDocuments.Error(error));
}
