using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Messages;

/// <summary>Reading request bodies and writing SCIM documents.</summary>
public static class ScimJson
{
    public const string MediaType = "application/scim+json";

    /// <summary>Nesting deeper than any SCIM document needs is refused before it costs anything.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Relaxed escaping keeps values readable ("O'Malley", "+") and byte-identical to what the
    /// client sent; the documents are never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions WriteOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same escaping, for documents written straight to a <see cref="Utf8JsonWriter"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Bodies are accepted as <c>application/scim+json</c> or <c>application/json</c> (RFC 7644
    /// §3.1; Entra sends either), with any parameters; a missing content type is taken as JSON.
    /// </summary>
    public static bool IsAcceptedContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses a request body that must be one JSON object, validating all of it at once: no
    /// member name twice in any object at any depth (in any letter case), no string that is not
    /// Unicode text, no nesting deeper than <see cref="MaxDepth"/>.
    /// </summary>
    /// <exception cref="ScimException">400 invalidSyntax, saying where the JSON breaks.</exception>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        ValidatingJsonReader.Read(utf8) as JsonObject ?? throw ScimException.InvalidSyntax("The request body must be a JSON object.");

    public static string Serialize(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.ToJsonString(WriteOptions);
    }

    public static byte[] SerializeToUtf8(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeToUtf8Bytes(document, WriteOptions);
    }
}
