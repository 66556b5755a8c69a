using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Patching;

/// <summary>
/// A PATCH path resolved against the resource schema: where the attribute lives, its definition
/// (null for attributes no schema defines, which are kept verbatim) and how values for it are
/// canonicalised.
/// </summary>
internal sealed class PatchTarget
{
    private PatchTarget(string name, string? containerKey, ScimAttributeDefinition? definition, string? subName, ScimAttributeDefinition? subDefinition, Filter? valueFilter, string displayName)
    {
        Name = name;
        ContainerKey = containerKey;
        Definition = definition;
        SubName = subName;
        SubDefinition = subDefinition;
        ValueFilter = valueFilter;
        DisplayName = displayName;
    }

    /// <summary>The attribute's key: canonical when a schema defines it, else as the client wrote it.</summary>
    public string Name { get; }

    /// <summary>The key of the extension object holding the attribute, or null for the resource itself.</summary>
    public string? ContainerKey { get; }

    public ScimAttributeDefinition? Definition { get; }

    public string? SubName { get; }

    public ScimAttributeDefinition? SubDefinition { get; }

    public Filter? ValueFilter { get; }

    /// <summary>The path as the client wrote it, for error details.</summary>
    public string DisplayName { get; }

    public bool IsMultiValued => Definition?.MultiValued ?? false;

    public ScimMutability Mutability =>
        Definition?.Mutability == ScimMutability.ReadOnly || SubDefinition?.Mutability == ScimMutability.ReadOnly
            ? ScimMutability.ReadOnly
            : Definition?.Mutability == ScimMutability.Immutable || SubDefinition?.Mutability == ScimMutability.Immutable
                ? ScimMutability.Immutable
                : ScimMutability.ReadWrite;

    /// <summary>Whole-attribute targets that may not become unassigned (RFC 7644 §3.5.2.2).</summary>
    public bool MustStayAssigned => SubName is null && ValueFilter is null && Definition is { MustStayAssigned: true };

    public static PatchTarget Resolve(PatchPath path, ScimResourceSchema schema)
    {
        var attribute = path.Attribute;
        var displayName = (attribute.SchemaUrn is null ? string.Empty : attribute.SchemaUrn + ":") + attribute.Name
            + (attribute.SubAttribute is null ? string.Empty : "." + attribute.SubAttribute)
            + (path.SubAttribute is null ? string.Empty : "." + path.SubAttribute);
        if (path.ValueFilter is not null && attribute.SubAttribute is not null)
        {
            throw ScimException.InvalidPath($"The path '{displayName}' puts a value filter after a sub-attribute.");
        }

        var subName = path.ValueFilter is null ? attribute.SubAttribute ?? path.SubAttribute : path.SubAttribute;
        var resolved = schema.Resolve(attribute with { SubAttribute = null });
        var definition = resolved?.Attribute;
        var containerKey = resolved is not null
            ? (resolved.IsExtension ? resolved.Schema.Id : null)
            : ContainerOfUndefined(attribute.SchemaUrn, schema);

        ScimAttributeDefinition? subDefinition = null;
        if (definition is not null && subName is not null)
        {
            if (definition.Type != ScimAttributeType.Complex)
            {
                throw ScimException.InvalidPath($"'{definition.Name}' has no sub-attributes, so '{displayName}' names nothing.");
            }

            // The schema lists every sub-attribute of its complex attributes; a path to another
            // one would store a key the schema does not define.
            subDefinition = definition.FindSubAttribute(subName)
                ?? throw ScimException.InvalidPath($"'{definition.Name}' has no sub-attribute '{subName}', so '{displayName}' names nothing.");
        }

        if (path.ValueFilter is not null && definition is { MultiValued: false })
        {
            throw ScimException.InvalidPath($"'{definition.Name}' is single-valued, so '{displayName}' cannot filter its values.");
        }

        return new PatchTarget(definition?.Name ?? attribute.Name, containerKey, definition, subName, subDefinition, path.ValueFilter, displayName);
    }

    public bool IsMultiValuedOr(JsonNode? current) => Definition?.MultiValued ?? current is JsonArray;

    public bool IsSingleComplexOr(JsonNode? current) =>
        Definition is null ? current is JsonObject : Definition is { Type: ScimAttributeType.Complex, MultiValued: false };

    /// <summary>A value for the whole attribute, in canonical form (a new node).</summary>
    public JsonNode? CanonicalizeWhole(JsonNode? value) =>
        Definition is null ? ResourceCanonicalizer.Verbatim(value, Name) : ResourceCanonicalizer.CanonicalizeValue(value, Definition);

    /// <summary>A value for the path's sub-attribute, in canonical form (a new node).</summary>
    public JsonNode? CanonicalizeSub(JsonNode? value) =>
        SubDefinition is null ? value?.DeepClone() : ResourceCanonicalizer.CanonicalizeValue(value, SubDefinition);

    /// <summary>One value of the multi-valued attribute, in canonical form (a new object).</summary>
    public JsonObject CanonicalizeElement(JsonNode? value)
    {
        if (value is JsonArray)
        {
            throw ScimException.InvalidValue($"The value for '{DisplayName}' must be a single value, not an array.");
        }

        var element = Definition is null ? value?.DeepClone() : Detach(ResourceCanonicalizer.CanonicalizeValue(value, Definition));
        return element as JsonObject
            ?? throw ScimException.InvalidValue($"The value for '{DisplayName}' must be a JSON object.");
    }

    /// <summary>
    /// The value the path's filter describes, for creating it when nothing matches: possible when the
    /// filter is an equality on a sub-attribute (<c>type eq "work"</c>) or a conjunction of them.
    /// </summary>
    public JsonObject? SeedFromFilter()
    {
        var seed = new JsonObject();
        if (ValueFilter is null || !CollectEqualities(ValueFilter, seed))
        {
            return null;
        }

        try
        {
            return CanonicalizeElement(seed);
        }
        catch (ScimException)
        {
            // A filter literal that is not a valid value (type eq 12) cannot describe a value to create.
            return null;
        }
    }

    private static string? ContainerOfUndefined(string? schemaUrn, ScimResourceSchema schema)
    {
        if (schemaUrn is null)
        {
            return null;
        }

        // A URN that is not one of the resource's schemas would invent a container that no
        // schema defines (such as "urn:…:enterprise:2.0" from a mistyped extension URN).
        var named = schema.FindSchema(schemaUrn)
            ?? throw ScimException.InvalidPath($"'{schemaUrn}' is not a schema of this resource; its schemas are {string.Join(", ", schema.AllSchemas.Select(s => s.Id))}.");
        return ReferenceEquals(named, schema.Core) ? null : named.Id;
    }

    private static JsonNode? Detach(JsonNode? canonical)
    {
        if (canonical is not JsonArray { Count: 1 } array)
        {
            return canonical;
        }

        var element = array[0];
        array.RemoveAt(0);
        return element;
    }

    private bool CollectEqualities(Filter filter, JsonObject seed)
    {
        switch (filter)
        {
            case AndFilter and:
                return CollectEqualities(and.Left, seed) && CollectEqualities(and.Right, seed);
            case ComparisonFilter { Operator: ComparisonOperator.Equal } equality when LiteralNode(equality.Value) is { } literal:
                var path = equality.Path;
                var subName = path.SubAttribute is not null && string.Equals(path.Name, Name, StringComparison.OrdinalIgnoreCase)
                    ? path.SubAttribute
                    : path.SubAttribute is null ? path.Name : null;
                if (subName is null || path.SchemaUrn is not null)
                {
                    return false;
                }

                seed[Definition?.FindSubAttribute(subName)?.Name ?? subName] = literal;
                return true;
            default:
                return false;
        }
    }

    private static JsonNode? LiteralNode(FilterLiteral literal) => literal.Kind switch
    {
        FilterLiteralKind.Text => JsonValue.Create(literal.Value),
        FilterLiteralKind.Boolean => JsonValue.Create(literal.Boolean),
        FilterLiteralKind.Number when literal.Value is not null => JsonNode.Parse(literal.Value),
        _ => null,
    };
}
