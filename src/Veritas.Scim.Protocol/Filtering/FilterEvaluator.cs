using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Filtering;

/// <summary>
/// Evaluates a filter against a resource in its canonical JSON form (RFC 7644 §3.4.2.2).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Names resolve case-insensitively through the schema (core, then extensions, whose values
/// sit under their URN); names no schema defines are looked up in the JSON and compared with default
/// characteristics (strings case-insensitive, the type taken from the JSON value).</item>
/// <item>A multi-valued attribute matches when any value matches; a complex attribute compared
/// without a sub-attribute (<c>emails co "x"</c>) compares its <c>value</c> sub-attribute.</item>
/// <item><c>ne</c> is the negation of <c>eq</c>: it matches a missing attribute and, for a
/// multi-valued one, a resource none of whose values is equal. <c>eq null</c> is the negation of
/// <c>pr</c>; <c>pr</c> needs a value that is not null, not an empty string, not an empty array
/// and not an object without such a value.</item>
/// <item><c>gt</c>, <c>ge</c>, <c>lt</c>, <c>le</c> order strings ordinally (letter case per
/// caseExact), numbers numerically and dateTimes as instants; on booleans, or on binary, they are
/// <c>400 invalidFilter</c>, as are <c>co</c>/<c>sw</c>/<c>ew</c> on booleans and any operator but
/// <c>eq</c>/<c>ne</c> with <c>null</c>.</item>
/// <item>A comparison value must suit the attribute's type (RFC 7644 §3.4.2.2, §3.12
/// invalidFilter): <c>true</c>/<c>false</c> (or Entra's strings "True"/"False") for a boolean, a
/// date-time for <c>eq</c>…<c>le</c> on a dateTime, a number for a number; <c>true</c>/<c>false</c>
/// never compare with a string. A mismatch is <c>400 invalidFilter</c> whatever the data, because
/// <see cref="Validate"/> checks every comparison of the filter before any resource is read.
/// Attributes no schema defines are typed by their JSON value: a mismatch there simply does not
/// match.</item>
/// </list>
/// And/or chains are walked in loops; recursion follows only the nesting the parser bounds.
/// </remarks>
public static class FilterEvaluator
{
    private const string ValueSubAttribute = "value";

    public static bool Matches(Filter filter, JsonObject resource, ScimResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schema);
        return Evaluate(filter, new Scope(resource, schema, null));
    }

    /// <summary>
    /// Refuses a filter whose comparisons cannot be evaluated against <paramref name="schema"/>'s
    /// attributes (an operator or value of the wrong type), before any resource is read: the
    /// answer to an ill-typed filter is 400 whether or not any resource has the attribute, and
    /// whichever branch of an <c>or</c> would have decided.
    /// </summary>
    /// <exception cref="ScimException">400 invalidFilter.</exception>
    public static void Validate(Filter filter, ScimResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(schema);
        var pending = new Stack<(Filter Node, ScimAttributeDefinition? Parent, bool InValuePath)>();
        pending.Push((filter, null, false));
        while (pending.TryPop(out var item))
        {
            switch (item.Node)
            {
                case AndFilter and:
                    pending.Push((and.Left, item.Parent, item.InValuePath));
                    pending.Push((and.Right, item.Parent, item.InValuePath));
                    break;
                case OrFilter or:
                    pending.Push((or.Left, item.Parent, item.InValuePath));
                    pending.Push((or.Right, item.Parent, item.InValuePath));
                    break;
                case NotFilter not:
                    pending.Push((not.Operand, item.Parent, item.InValuePath));
                    break;
                case ValuePathFilter valuePath:
                    var attribute = item.InValuePath ? item.Parent?.FindSubAttribute(valuePath.Path.Name) : ResolveInResource(valuePath.Path, schema)?.Attribute;
                    pending.Push((valuePath.ValueFilter, attribute, true));
                    break;
                case ComparisonFilter comparison:
                    var definition = item.InValuePath
                        ? ValueDefinitionInValue(comparison.Path, item.Parent)
                        : ValueDefinitionInResource(comparison.Path, schema);
                    CheckComparison(comparison.Operator, comparison.Value, definition?.Type, comparison.Path);
                    break;
            }
        }
    }

    /// <summary>
    /// Evaluates the filter of a value path (<c>type eq "work"</c> in <c>emails[type eq "work"]</c>)
    /// against one value of the multi-valued attribute: names in the filter are sub-attributes of
    /// that value. A value that is not an object (a list of plain strings) answers to <c>value</c>.
    /// </summary>
    public static bool MatchesValue(Filter valueFilter, JsonNode? value, ScimAttributeDefinition? multiValuedAttribute)
    {
        ArgumentNullException.ThrowIfNull(valueFilter);
        return Evaluate(valueFilter, new Scope(value, null, multiValuedAttribute));
    }

    private static bool Evaluate(Filter filter, in Scope scope)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw ScimException.InvalidFilter("The filter is nested too deeply.");
        }

        while (true)
        {
            switch (filter)
            {
                case AndFilter and:
                    // Left-deep chains: evaluate the right operand, then continue down the left spine.
                    if (!Evaluate(and.Right, scope))
                    {
                        return false;
                    }

                    filter = and.Left;
                    continue;
                case OrFilter or:
                    if (Evaluate(or.Right, scope))
                    {
                        return true;
                    }

                    filter = or.Left;
                    continue;
                case NotFilter not:
                    return !Evaluate(not.Operand, scope);
                case PresentFilter present:
                    return IsPresent(scope.Locate(present.Path));
                case ComparisonFilter comparison:
                    return Compare(comparison, scope.Locate(comparison.Path));
                case ValuePathFilter valuePath:
                    return AnyValueMatches(valuePath, scope.Locate(valuePath.Path));
                default:
                    throw new ArgumentException($"Unknown filter node {filter.GetType().Name}.", nameof(filter));
            }
        }
    }

    private static bool AnyValueMatches(ValuePathFilter valuePath, in Located located)
    {
        var attribute = located.Attribute;
        var node = located.Descend(located.Node);
        if (node is JsonArray values)
        {
            // Arrays are walked by index throughout: enumerating a JsonArray allocates.
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i];
                if (MatchesValue(valuePath.ValueFilter, value, attribute))
                {
                    return true;
                }
            }

            return false;
        }

        return node is not null && MatchesValue(valuePath.ValueFilter, node, attribute);
    }

    private static bool IsPresent(in Located located)
    {
        var node = located.Node;
        if (node is JsonArray values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i];
                if (HasValue(located.Descend(value)))
                {
                    return true;
                }
            }

            return false;
        }

        return HasValue(located.Descend(node));
    }

    private static bool HasValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return false;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    if (HasValue(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonObject obj:
                foreach (var property in obj)
                {
                    if (HasValue(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return node.GetValueKind() switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => false,
                    JsonValueKind.String => !string.IsNullOrEmpty(StringOf(node)),
                    _ => true,
                };
        }
    }

    private static bool Compare(ComparisonFilter comparison, in Located located)
    {
        var op = comparison.Operator;
        var literal = comparison.Value;
        var definition = located.FindValueDefinition();
        CheckComparison(op, literal, definition?.Type, located.Path);
        if (literal.Kind == FilterLiteralKind.Null)
        {
            return op == ComparisonOperator.Equal ? !IsPresent(located) : IsPresent(located);
        }

        if (op == ComparisonOperator.NotEqual)
        {
            return !AnyValueCompares(ComparisonOperator.Equal, literal, located, definition);
        }

        return AnyValueCompares(op, literal, located, definition);
    }

    private static bool AnyValueCompares(ComparisonOperator op, FilterLiteral literal, in Located located, ScimAttributeDefinition? definition)
    {
        var node = located.Node;
        if (node is JsonArray values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i];
                if (CompareValue(op, literal, located.DescendToScalar(value), located.Path, definition))
                {
                    return true;
                }
            }

            return false;
        }

        return CompareValue(op, literal, located.DescendToScalar(node), located.Path, definition);
    }

    private static bool CompareValue(ComparisonOperator op, FilterLiteral literal, JsonNode? candidate, AttributePath path, ScimAttributeDefinition? definition)
    {
        if (candidate is JsonArray multiple)
        {
            // A sub-attribute that is itself a list: any of its values.
            for (var i = 0; i < multiple.Count; i++)
            {
                var item = multiple[i];
                if (item is JsonValue itemValue && CompareScalar(op, literal, itemValue, path, definition))
                {
                    return true;
                }
            }

            return false;
        }

        return candidate is JsonValue value && CompareScalar(op, literal, value, path, definition);
    }

    private static bool CompareScalar(ComparisonOperator op, FilterLiteral literal, JsonValue value, AttributePath path, ScimAttributeDefinition? definition)
    {
        var kind = value.GetValueKind();
        if (kind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return false;
        }

        var type = definition?.Type ?? kind switch
        {
            JsonValueKind.True or JsonValueKind.False => ScimAttributeType.Boolean,
            JsonValueKind.Number => ScimAttributeType.Decimal,
            _ => ScimAttributeType.String,
        };
        if (definition is null && !Comparable(op, literal, type))
        {
            // An attribute no schema defines: a value of another type does not match.
            return false;
        }

        var candidateText = TextOf(value, kind);
        return type switch
        {
            ScimAttributeType.Boolean => CompareBoolean(op, literal, candidateText),
            ScimAttributeType.Integer or ScimAttributeType.Decimal => CompareNumber(op, literal, candidateText),
            ScimAttributeType.DateTime => CompareDateTime(op, literal, candidateText),
            _ => CompareText(op, candidateText, LiteralText(literal), definition?.CaseExact ?? false),
        };
    }

    /// <summary>
    /// The type rules of a comparison (RFC 7644 §3.4.2.2): which operators and which kinds of
    /// value an attribute of <paramref name="type"/> accepts. Null <paramref name="type"/> (an
    /// attribute no schema defines) accepts everything but operators on null.
    /// </summary>
    private static void CheckComparison(ComparisonOperator op, FilterLiteral literal, ScimAttributeType? type, AttributePath path)
    {
        if (literal.Kind == FilterLiteralKind.Null)
        {
            if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
            {
                throw ScimException.InvalidFilter($"null can be compared only with eq or ne, not with {FilterSyntax.Spell(op)}.");
            }

            return;
        }

        if (type is { } known && Refusal(op, literal, known) is { } reason)
        {
            throw ScimException.InvalidFilter($"'{FilterPrinter.Print(new ComparisonFilter(path, op, literal))}' is not a valid comparison for the {known.ToString().ToLowerInvariant()} attribute {FilterPrinter.Print(path)}: {reason}.");
        }
    }

    private static bool Comparable(ComparisonOperator op, FilterLiteral literal, ScimAttributeType type) => Refusal(op, literal, type) is null;

    private static string? Refusal(ComparisonOperator op, FilterLiteral literal, ScimAttributeType type)
    {
        var ordering = op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual
            or ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual;
        var substring = op is ComparisonOperator.Contains or ComparisonOperator.StartsWith or ComparisonOperator.EndsWith;
        switch (type)
        {
            case ScimAttributeType.Boolean:
                if (ordering || substring)
                {
                    return "a boolean is compared only with eq or ne";
                }

                return literal.Kind == FilterLiteralKind.Boolean || (literal.Kind == FilterLiteralKind.Text && bool.TryParse(literal.Value, out _))
                    ? null
                    : "the value must be true or false";
            case ScimAttributeType.DateTime:
                if (literal.Kind == FilterLiteralKind.Boolean)
                {
                    return "a date-time is not a boolean";
                }

                return substring || (literal.Kind == FilterLiteralKind.Text && TryParseInstant(literal.Value ?? string.Empty, out _))
                    ? null
                    : "the value must be a date-time such as \"2026-01-31T08:00:00Z\"";
            case ScimAttributeType.Integer or ScimAttributeType.Decimal:
                if (literal.Kind == FilterLiteralKind.Boolean)
                {
                    return "a number is not a boolean";
                }

                return substring || double.TryParse(literal.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? null
                    : "the value must be a number";
            case ScimAttributeType.Binary when ordering:
                return "binary values have no order";
            default:
                return literal.Kind == FilterLiteralKind.Boolean ? "true and false compare only with booleans" : null;
        }
    }

    private static bool CompareBoolean(ComparisonOperator op, FilterLiteral literal, string candidateText)
    {
        bool expected;
        if (literal.Kind == FilterLiteralKind.Boolean)
        {
            expected = literal.Boolean;
        }
        else if (!bool.TryParse(literal.Value, out expected))
        {
            return false;
        }

        // Canonical booleans are JSON booleans; a string "False" is tolerated.
        return op == ComparisonOperator.Equal && bool.TryParse(candidateText, out var actual) && actual == expected;
    }

    private static bool CompareNumber(ComparisonOperator op, FilterLiteral literal, string candidateText)
    {
        var literalText = LiteralText(literal);
        if (op is ComparisonOperator.Contains or ComparisonOperator.StartsWith or ComparisonOperator.EndsWith)
        {
            return CompareText(op, candidateText, literalText, caseExact: false);
        }

        int order;
        if (decimal.TryParse(candidateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var candidateDecimal)
            && decimal.TryParse(literalText, NumberStyles.Float, CultureInfo.InvariantCulture, out var literalDecimal))
        {
            order = candidateDecimal.CompareTo(literalDecimal);
        }
        else if (double.TryParse(candidateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var candidateDouble)
            && double.TryParse(literalText, NumberStyles.Float, CultureInfo.InvariantCulture, out var literalDouble))
        {
            order = candidateDouble.CompareTo(literalDouble);
        }
        else
        {
            return false;
        }

        return Satisfies(op, order);
    }

    private static bool CompareDateTime(ComparisonOperator op, FilterLiteral literal, string candidateText)
    {
        var literalText = LiteralText(literal);
        if (op is ComparisonOperator.Contains or ComparisonOperator.StartsWith or ComparisonOperator.EndsWith
            || !TryParseInstant(candidateText, out var candidate)
            || !TryParseInstant(literalText, out var expected))
        {
            return CompareText(op, candidateText, literalText, caseExact: false);
        }

        return Satisfies(op, candidate.CompareTo(expected));
    }

    /// <summary>
    /// A comparison value of a dateTime attribute as the evaluator reads it (an instant, UTC
    /// assumed when no offset is given): the one parse every store's push-down uses too.
    /// </summary>
    public static bool TryParseDateTime(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null && TryParseInstant(text, out instant);
    }

    private static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);

    private static bool CompareText(ComparisonOperator op, string candidate, string expected, bool caseExact)
    {
        var comparison = caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return op switch
        {
            ComparisonOperator.Contains => candidate.Contains(expected, comparison),
            ComparisonOperator.StartsWith => candidate.StartsWith(expected, comparison),
            ComparisonOperator.EndsWith => candidate.EndsWith(expected, comparison),
            ComparisonOperator.Equal => string.Equals(candidate, expected, comparison),
            _ => Satisfies(op, caseExact ? string.CompareOrdinal(candidate, expected) : CompareFoldedToLowerCase(candidate, expected)),
        };
    }

    /// <summary>
    /// RFC 7644 §3.4.2.2 orders case-insensitive strings "lexicographically" without saying how
    /// letters fold. Folding to lower case (as SQLite's NOCASE does, and as JavaScript filter
    /// implementations do after toLowerCase) puts _ [ \ ] ^ ` before the letters, where upper-case
    /// folding (OrdinalIgnoreCase) would put them after.
    /// </summary>
    private static int CompareFoldedToLowerCase(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var order = char.ToLowerInvariant(left[i]).CompareTo(char.ToLowerInvariant(right[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static bool Satisfies(ComparisonOperator op, int order) => op switch
    {
        ComparisonOperator.Equal => order == 0,
        ComparisonOperator.NotEqual => order != 0,
        ComparisonOperator.GreaterThan => order > 0,
        ComparisonOperator.GreaterThanOrEqual => order >= 0,
        ComparisonOperator.LessThan => order < 0,
        ComparisonOperator.LessThanOrEqual => order <= 0,
        _ => false,
    };

    private static ResolvedAttributePath? ResolveInResource(AttributePath path, ScimResourceSchema schema) =>
        schema.Resolve(path) ?? (path.SchemaUrn is null ? ResolveInExtensions(path, schema) : null);

    /// <summary>Clients sometimes omit the URN of an extension attribute (<c>employeeNumber</c>).</summary>
    private static ResolvedAttributePath? ResolveInExtensions(AttributePath path, ScimResourceSchema schema)
    {
        foreach (var extension in schema.Extensions)
        {
            var resolved = schema.Resolve(path with { SchemaUrn = extension.Id });
            if (resolved is not null)
            {
                return resolved;
            }
        }

        return null;
    }

    /// <summary>What a comparison on <paramref name="path"/> compares, by the schema alone (as <see cref="Located.FindValueDefinition"/>).</summary>
    private static ScimAttributeDefinition? ValueDefinitionInResource(AttributePath path, ScimResourceSchema schema) =>
        ResolveInResource(path, schema) is not { } resolved ? null
        : path.SubAttribute is not null ? resolved.SubAttribute
        : ValueOf(resolved.Attribute);

    /// <summary>As <see cref="ValueDefinitionInResource"/>, for a name inside brackets of <paramref name="parent"/>.</summary>
    private static ScimAttributeDefinition? ValueDefinitionInValue(AttributePath path, ScimAttributeDefinition? parent)
    {
        var definition = parent?.FindSubAttribute(path.Name)
            ?? (parent is { Type: not ScimAttributeType.Complex } && string.Equals(path.Name, ValueSubAttribute, StringComparison.OrdinalIgnoreCase) ? parent : null);
        return path.SubAttribute is not null ? definition?.FindSubAttribute(path.SubAttribute) : definition is null ? null : ValueOf(definition);
    }

    private static ScimAttributeDefinition? ValueOf(ScimAttributeDefinition attribute) =>
        attribute.Type == ScimAttributeType.Complex ? attribute.FindSubAttribute(ValueSubAttribute) : attribute;

    private static string LiteralText(FilterLiteral literal) => literal.Kind switch
    {
        FilterLiteralKind.Boolean => literal.Boolean ? "true" : "false",
        _ => literal.Value ?? string.Empty,
    };

    private static string TextOf(JsonValue value, JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => StringOf(value),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static string StringOf(JsonNode value) =>
        value is JsonValue scalar && scalar.TryGetValue<string>(out var text)
            ? text
            : JsonSerializer.Deserialize<string>(value.ToJsonString()) ?? string.Empty;

    /// <summary>Canonical names first, then any letter case: input may be non-canonical.</summary>
    private static JsonNode? GetProperty(JsonNode? node, string name)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var property in obj)
        {
            if (string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Where names are looked up: a whole resource (with its schema), or one value of a
    /// multi-valued attribute (whose definition gives the sub-attributes).
    /// </summary>
    private readonly struct Scope(JsonNode? node, ScimResourceSchema? schema, ScimAttributeDefinition? parent)
    {
        public Located Locate(AttributePath path)
        {
            if (schema is not null)
            {
                return LocateInResource(path, (JsonObject)node!, schema);
            }

            // Inside brackets the name is a sub-attribute of the value; a plain value is its own "value".
            var definition = parent?.FindSubAttribute(path.Name);
            JsonNode? attributeNode;
            if (node is JsonObject)
            {
                attributeNode = GetProperty(node, path.Name);
            }
            else
            {
                var isValue = string.Equals(path.Name, ValueSubAttribute, StringComparison.OrdinalIgnoreCase);
                attributeNode = isValue ? node : null;
                definition ??= isValue && parent is { Type: not ScimAttributeType.Complex } ? parent : null;
            }

            var subDefinition = path.SubAttribute is null ? null : definition?.FindSubAttribute(path.SubAttribute);
            return new Located(path, attributeNode, definition, subDefinition);
        }

        private static Located LocateInResource(AttributePath path, JsonObject resource, ScimResourceSchema schema)
        {
            var resolved = ResolveInResource(path, schema);
            if (resolved is not null)
            {
                var container = resolved.IsExtension ? GetProperty(resource, resolved.Schema.Id) : resource;
                return new Located(path, GetProperty(container, resolved.Attribute.Name), resolved.Attribute, resolved.SubAttribute);
            }

            var unknownContainer = path.SchemaUrn is null || schema.Core.IsNamed(path.SchemaUrn)
                ? resource
                : GetProperty(resource, path.SchemaUrn);
            return new Located(path, GetProperty(unknownContainer, path.Name), null, null);
        }
    }

    /// <summary>
    /// An attribute found in a resource: its JSON (a list when multi-valued) and the definitions
    /// that govern its values.
    /// </summary>
    private readonly struct Located(AttributePath path, JsonNode? node, ScimAttributeDefinition? attribute, ScimAttributeDefinition? subAttribute)
    {
        public AttributePath Path { get; } = path;

        public JsonNode? Node { get; } = node;

        public ScimAttributeDefinition? Attribute { get; } = attribute;

        /// <summary>
        /// The definition of what is compared: the sub-attribute, or for a complex attribute named
        /// alone its <c>value</c> sub-attribute.
        /// </summary>
        public ScimAttributeDefinition? FindValueDefinition() => Path.SubAttribute is not null
            ? subAttribute
            : Attribute is { Type: ScimAttributeType.Complex } ? Attribute.FindSubAttribute(ValueSubAttribute) : Attribute;

        /// <summary>From one value of the attribute to the sub-attribute the path names.</summary>
        public JsonNode? Descend(JsonNode? value) =>
            Path.SubAttribute is null ? value : GetProperty(value, Path.SubAttribute);

        /// <summary>As <see cref="Descend"/>, then from a complex value to its <c>value</c> sub-attribute.</summary>
        public JsonNode? DescendToScalar(JsonNode? value)
        {
            var target = Descend(value);
            return target is JsonObject ? GetProperty(target, ValueSubAttribute) : target;
        }
    }
}
