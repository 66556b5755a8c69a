using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Filtering;

// TEMPORARY stand-ins with the signatures of the protocol-filter branch, covering only the PATCH
// path forms the interpreter needs (attrPath, valuePath with eq/and filters). Delete this file when
// protocol-filter is merged: its FilterParser and FilterEvaluator replace these.

public sealed class FilterParserOptions;

public static class FilterParser
{
    public static PatchPath ParsePatchPath(string path, FilterParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        _ = options;
        var text = path.Trim();
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return new PatchPath(ParseAttributePath(text, path));
        }

        var close = text.LastIndexOf(']');
        if (close < open)
        {
            throw ScimException.InvalidPath($"The path '{path}' is not valid.");
        }

        var attribute = ParseAttributePath(text[..open], path);
        var filter = ParseFilter(text[(open + 1)..close], path);
        var rest = text[(close + 1)..];
        string? sub = null;
        if (rest.Length > 0)
        {
            if (rest[0] != '.' || rest.Length == 1)
            {
                throw ScimException.InvalidPath($"The path '{path}' is not valid.");
            }

            sub = rest[1..];
        }

        return new PatchPath(attribute, filter, sub);
    }

    private static AttributePath ParseAttributePath(string text, string path)
    {
        string? urn = null;
        var rest = text;
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            var colon = text.LastIndexOf(':');
            urn = text[..colon];
            rest = text[(colon + 1)..];
        }

        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? rest : rest[..dot];
        var sub = dot < 0 ? null : rest[(dot + 1)..];
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$')
            || (sub is not null && (sub.Length == 0 || !sub.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$'))))
        {
            throw ScimException.InvalidPath($"The path '{path}' is not valid.");
        }

        return new AttributePath(urn, name, sub);
    }

    private static Filter ParseFilter(string text, string path)
    {
        var parts = text.Split(" and ", StringSplitOptions.TrimEntries);
        Filter? result = null;
        foreach (var part in parts)
        {
            var words = part.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 3 || !string.Equals(words[1], "eq", StringComparison.OrdinalIgnoreCase))
            {
                throw ScimException.InvalidPath($"The path '{path}' is not valid.");
            }

            var literal = words[2] switch
            {
                ['"', .. var inner, '"'] => FilterLiteral.FromString(inner),
                "true" => FilterLiteral.FromBoolean(true),
                "false" => FilterLiteral.FromBoolean(false),
                "null" => FilterLiteral.Null,
                var other => FilterLiteral.FromString(other),
            };
            Filter comparison = new ComparisonFilter(ParseAttributePath(words[0], path), ComparisonOperator.Equal, literal);
            result = result is null ? comparison : new AndFilter(result, comparison);
        }

        return result!;
    }
}

public static class FilterEvaluator
{
    public static bool MatchesValue(Filter valueFilter, JsonNode? element, ScimAttributeDefinition? multiValuedAttribute)
    {
        ArgumentNullException.ThrowIfNull(valueFilter);
        return valueFilter switch
        {
            AndFilter and => MatchesValue(and.Left, element, multiValuedAttribute) && MatchesValue(and.Right, element, multiValuedAttribute),
            OrFilter or => MatchesValue(or.Left, element, multiValuedAttribute) || MatchesValue(or.Right, element, multiValuedAttribute),
            NotFilter not => !MatchesValue(not.Operand, element, multiValuedAttribute),
            PresentFilter present => Sub(element, present.Path.Name) is not null,
            ComparisonFilter { Operator: ComparisonOperator.Equal } eq => Equal(Sub(element, eq.Path.Name), eq.Value),
            _ => false,
        };
    }

    private static JsonNode? Sub(JsonNode? element, string name) =>
        element is JsonObject obj ? obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value : null;

    private static bool Equal(JsonNode? value, FilterLiteral literal) => (value, literal.Kind) switch
    {
        (null, FilterLiteralKind.Null) => true,
        (JsonValue v, FilterLiteralKind.Text) when v.GetValueKind() == JsonValueKind.String =>
            string.Equals(v.GetValue<string>(), literal.Value, StringComparison.OrdinalIgnoreCase),
        (JsonValue v, FilterLiteralKind.Boolean) when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False =>
            v.GetValue<bool>() == literal.Boolean,
        _ => false,
    };
}
