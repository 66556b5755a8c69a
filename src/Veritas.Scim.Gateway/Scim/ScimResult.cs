using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>What a SCIM handler answers; <see cref="ScimResultWriter"/> is the one place that writes it.</summary>
internal abstract record ScimResult(int Status);

/// <summary>
/// A SCIM document (a resource, a list, a discovery document), with the resource's ETag and
/// Location when it has them. The document is a writer of itself, so that a resource can be
/// written straight from what the store returned; a tree of nodes is one such writer.
/// </summary>
internal sealed record ScimDocumentResult(int Status, Action<Utf8JsonWriter> WriteDocument, string? ETag = null, string? Location = null) : ScimResult(Status)
{
    public ScimDocumentResult(int status, JsonNode document, string? eTag = null, string? location = null)
        : this(status, writer => document.WriteTo(writer), eTag, location)
    {
    }
}

/// <summary>204: done, nothing to say (DELETE).</summary>
internal sealed record ScimNoContentResult() : ScimResult(StatusCodes.Status204NoContent);

/// <summary>304: the client's copy (If-None-Match) is the current version; no body, the version in ETag (RFC 9110 §15.4.5).</summary>
internal sealed record ScimNotModifiedResult(string ETag) : ScimResult(StatusCodes.Status304NotModified);

/// <summary>
/// A SCIM error (RFC 7644 §3.12), made only by <see cref="ScimErrors"/>; the headers it needs
/// (Allow, Retry-After, WWW-Authenticate) travel with it.
/// </summary>
internal sealed record ScimErrorResult(int Status, ScimErrorType? ScimType, string Detail) : ScimResult(Status)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>
/// Writes every SCIM answer: every body is <c>application/scim+json</c>, written whole with its
/// Content-Length (no chunked framing), through a buffer each thread reuses: a response's bytes
/// are copied into the connection's pipe before anything awaits.
/// </summary>
internal static class ScimResultWriter
{
    /// <summary>A buffer grown past this by one large page is not kept for the next response.</summary>
    private const int MaxRetainedBufferBytes = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes the answer. The body is made before anything of the response is set, so a failure
    /// while making it leaves the response untouched for the caller to answer with an error.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, ScimResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        var response = context.Response;
        Action<Utf8JsonWriter>? write = result switch
        {
            ScimDocumentResult document => document.WriteDocument,
            ScimErrorResult error => writer => ScimDocuments.Error(error.Status, error.ScimType, error.Detail).WriteTo(writer),
            _ => null,
        };
        if (write is null)
        {
            response.StatusCode = result.Status;
            SetHeaders(response, result);
            return;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, ScimJson.WriterOptions);
        try
        {
            write(writer);
            writer.Flush();
            response.StatusCode = result.Status;
            SetHeaders(response, result);
            response.ContentType = ScimJson.MediaType + "; charset=utf-8";
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset(buffer);
            if (buffer.Capacity > MaxRetainedBufferBytes)
            {
                t_buffer = null;
                t_writer = null;
            }
            else
            {
                buffer.ResetWrittenCount();
            }
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void SetHeaders(HttpResponse response, ScimResult result)
    {
        switch (result)
        {
            case ScimDocumentResult { ETag: var eTag, Location: var location }:
                if (eTag is not null)
                {
                    response.Headers.ETag = eTag;
                }

                if (location is not null)
                {
                    response.Headers.Location = location;
                }

                break;
            case ScimNotModifiedResult notModified:
                response.Headers.ETag = notModified.ETag;
                break;
            case ScimErrorResult error:
                foreach (var (name, value) in error.Headers)
                {
                    response.Headers[name] = value;
                }

                break;
        }
    }
}
