using System.Globalization;
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

    /// <summary>A list response; the resources are already projected.</summary>
    public static JsonObject ListResponse(IEnumerable<JsonObject> resources, int totalResults, int startIndex)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var items = new JsonArray();
        foreach (var resource in resources)
        {
            items.Add(resource);
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessageSchemas.ListResponse),
            ["totalResults"] = totalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = items.Count,
            ["Resources"] = items,
        };
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
