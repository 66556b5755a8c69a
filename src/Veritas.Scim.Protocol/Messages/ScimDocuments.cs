using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Messages;

/// <summary>The SCIM message documents: errors (RFC 7644 §3.12) and list responses (§3.4.2).</summary>
public static class ScimDocuments
{
    /// <summary>An error document; <c>status</c> is a string, as the RFC's examples and Entra expect.</summary>
    public static JsonObject Error(int status, ScimErrorType? scimType, string detail)
    {
        var document = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessageSchemas.Error),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
        };
        if (scimType is { } type)
        {
            document["scimType"] = ToWireName(type);
        }

        document["detail"] = detail;
        return document;
    }

    public static JsonObject Error(ScimException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Error(exception.Status, exception.ScimType, exception.Message);
    }

    /// <summary>
    /// A list response as a tree; the resources are already projected. Made from
    /// <see cref="WriteListResponse"/> (a discovery answer, not a hot path), so the two cannot differ.
    /// </summary>
    public static JsonObject ListResponse(IEnumerable<JsonObject> resources, int totalResults, int startIndex)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ScimJson.WriterOptions))
        {
            WriteListResponse(writer, [.. resources], totalResults, startIndex, static (w, resource) => resource.WriteTo(w));
        }

        return (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
    }

    /// <summary>The ListResponse (RFC 7644 §3.4.2), each resource written by <paramref name="writeResource"/>.</summary>
    public static void WriteListResponse<T>(Utf8JsonWriter writer, IReadOnlyList<T> resources, int totalResults, int startIndex, Action<Utf8JsonWriter, T> writeResource)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(writeResource);
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(ScimMessageSchemas.ListResponse);
        writer.WriteEndArray();
        writer.WriteNumber("totalResults", totalResults);
        writer.WriteNumber("startIndex", startIndex);
        writer.WriteNumber("itemsPerPage", resources.Count);
        writer.WriteStartArray("Resources");
        foreach (var resource in resources)
        {
            writeResource(writer, resource);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The camelCase name RFC 7644 §3.12 gives each scimType.</summary>
    public static string ToWireName(ScimErrorType type) => type switch
    {
        ScimErrorType.InvalidFilter => "invalidFilter",
        ScimErrorType.TooMany => "tooMany",
        ScimErrorType.Uniqueness => "uniqueness",
        ScimErrorType.Mutability => "mutability",
        ScimErrorType.InvalidSyntax => "invalidSyntax",
        ScimErrorType.InvalidPath => "invalidPath",
        ScimErrorType.NoTarget => "noTarget",
        ScimErrorType.InvalidValue => "invalidValue",
        ScimErrorType.InvalidVers => "invalidVers",
        ScimErrorType.Sensitive => "sensitive",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
