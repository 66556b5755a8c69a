using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Filtering;

// TEMPORARY stand-in with the signature of the protocol-filter branch's evaluator, covering only
// what PATCH value filters need (eq, and, or, not, pr). Delete this file when protocol-filter's
// FilterEvaluator is merged.

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
