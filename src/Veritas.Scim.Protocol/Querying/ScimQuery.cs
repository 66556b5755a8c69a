using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Querying;

/// <summary>Bounds of a query that a client cannot raise.</summary>
public sealed class ScimQueryOptions
{
    public static ScimQueryOptions Default { get; } = new();

    /// <summary>The largest page; larger counts are clamped (RFC 7644 §3.4.2.4).</summary>
    public int MaxResults { get; init; } = 200;

    public FilterParserOptions Filter { get; init; } = new();
}

/// <summary>
/// A query over a resource type (RFC 7644 §3.4.2, §3.4.3): the same model whether it came as
/// query-string parameters on GET or as a SearchRequest body on POST /.search.
/// </summary>
public sealed record ScimQuery(
    Filter? Filter,
    AttributePath? SortBy,
    bool SortDescending,
    PageRequest Page,
    IReadOnlyList<AttributePath> Attributes,
    IReadOnlyList<AttributePath> ExcludedAttributes)
{
    /// <summary>Reads the query from parameters (names as in the RFC; <paramref name="parameter"/> returns null when absent).</summary>
    /// <exception cref="ScimException">400 invalidFilter or invalidValue.</exception>
    public static ScimQuery FromParameters(Func<string, string?> parameter, ScimResourceSchema schema, ScimQueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Create(
            parameter("filter"),
            parameter("sortBy"),
            parameter("sortOrder"),
            ParseInteger(parameter("startIndex"), "startIndex"),
            ParseInteger(parameter("count"), "count"),
            parameter("attributes"),
            parameter("excludedAttributes"),
            schema,
            options ?? ScimQueryOptions.Default);
    }

    /// <summary>Reads a SearchRequest body of POST /.search; member names in any case.</summary>
    /// <exception cref="ScimException">400 invalidSyntax, invalidFilter or invalidValue.</exception>
    public static ScimQuery FromSearchRequest(JsonObject body, ScimResourceSchema schema, ScimQueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Create(
            Text(body, "filter"),
            Text(body, "sortBy"),
            Text(body, "sortOrder"),
            Integer(body, "startIndex"),
            Integer(body, "count"),
            List(body, "attributes"),
            List(body, "excludedAttributes"),
            schema,
            options ?? ScimQueryOptions.Default);
    }

    private static ScimQuery Create(
        string? filter,
        string? sortBy,
        string? sortOrder,
        int? startIndex,
        int? count,
        string? attributes,
        string? excludedAttributes,
        ScimResourceSchema schema,
        ScimQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var descending = sortOrder?.Trim().ToUpperInvariant() switch
        {
            null or "" or "ASCENDING" => false,
            "DESCENDING" => true,
            _ => throw ScimException.InvalidValue("sortOrder must be 'ascending' or 'descending'."),
        };

        return new ScimQuery(
            string.IsNullOrWhiteSpace(filter) ? null : FilterParser.Parse(filter, options.Filter),
            string.IsNullOrWhiteSpace(sortBy) ? null : schema.ParseQualifiedName(sortBy.Trim()),
            descending,
            PageRequest.Create(startIndex, count, options.MaxResults),
            AttributeProjection.ParseList(attributes, schema),
            AttributeProjection.ParseList(excludedAttributes, schema));
    }

    private static int? ParseInteger(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ScimException.InvalidValue($"{name} must be an integer.");
    }

    private static string? Text(JsonObject body, string name) =>
        ResourceCanonicalizer.GetPropertyIgnoreCase(body, name, out _) switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw ScimException.InvalidSyntax($"'{name}' must be a string."),
        };

    private static int? Integer(JsonObject body, string name) =>
        ResourceCanonicalizer.GetPropertyIgnoreCase(body, name, out _) switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) => number,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => ParseInteger(value.GetValue<string>(), name),
            _ => throw ScimException.InvalidValue($"'{name}' must be an integer."),
        };

    private static string? List(JsonObject body, string name) =>
        ResourceCanonicalizer.GetPropertyIgnoreCase(body, name, out _) switch
        {
            null => null,
            JsonArray items when items.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) => string.Join(',', items.Select(i => i!.GetValue<string>())),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw ScimException.InvalidSyntax($"'{name}' must be an array of attribute names."),
        };
}
