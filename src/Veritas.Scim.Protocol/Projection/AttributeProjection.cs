using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Projection;

/// <summary>
/// The <c>attributes</c> and <c>excludedAttributes</c> parameters (RFC 7644 §3.4.2.5, §3.9),
/// honouring each attribute's <c>returned</c> characteristic: <c>id</c> and <c>schemas</c> are
/// always returned, <c>never</c> attributes never are, <c>request</c> ones only when asked for.
/// </summary>
public static class AttributeProjection
{
    /// <summary>Parses a comma-separated list of attribute names (optionally URN-qualified, with sub-attributes).</summary>
    public static IReadOnlyList<AttributePath> ParseList(string? text, ScimResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(schema.ParseQualifiedName)];
    }

    /// <summary>Projects a canonical resource; the input is not changed.</summary>
    public static JsonObject Apply(JsonObject resource, ScimResourceSchema schema, IReadOnlyList<AttributePath> attributes, IReadOnlyList<AttributePath> excludedAttributes)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(excludedAttributes);

        var result = new JsonObject();
        foreach (var (name, value) in resource)
        {
            if (string.Equals(name, Common.Schemas, StringComparison.OrdinalIgnoreCase))
            {
                result[name] = value?.DeepClone();
                continue;
            }

            var extension = schema.FindExtension(name);
            if (extension is not null && value is JsonObject extensionObject)
            {
                var wholeExtension = Names(attributes, extension.Id);
                var projected = new JsonObject();
                foreach (var (innerName, innerValue) in extensionObject)
                {
                    var kept = wholeExtension ? WithoutNever(innerValue, extension.FindAttribute(innerName)) : Project(schema, extension, innerName, innerValue, attributes, excludedAttributes);
                    if (kept is not null)
                    {
                        projected[innerName] = kept;
                    }
                }

                if (projected.Count > 0 && !Names(excludedAttributes, extension.Id))
                {
                    result[name] = projected;
                }

                continue;
            }

            var projectedCore = Project(schema, schema.Core, name, value, attributes, excludedAttributes);
            if (projectedCore is not null)
            {
                result[name] = projectedCore;
            }
        }

        return result;
    }

    /// <summary>
    /// The projection of a resource the caller hands over (made for this response and used for
    /// nothing else afterwards). Most responses ask for no projection and hold nothing to
    /// withhold: then the answer is the resource itself rather than a copy of it; otherwise it is
    /// <see cref="Apply"/>'s. The two always agree (a property test holds them to it).
    /// </summary>
    public static JsonObject ApplyToOwned(JsonObject resource, ScimResourceSchema schema, IReadOnlyList<AttributePath> attributes, IReadOnlyList<AttributePath> excludedAttributes)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(excludedAttributes);
        return attributes.Count == 0 && excludedAttributes.Count == 0 && !WithholdsAnything(resource, schema)
            ? resource
            : Apply(resource, schema, attributes, excludedAttributes);
    }

    /// <summary>
    /// Whether <see cref="Apply"/> without parameters keeps every non-null value of an attribute so
    /// defined, whatever it holds: neither it nor any sub-attribute is returned never or only by
    /// request. Unknown attributes (no definition) are kept as the client sent them.
    /// </summary>
    public static bool AlwaysReturnsWhole(ScimAttributeDefinition? definition) => definition is null || definition.IsReturnedWhole;

    /// <summary>Whether <see cref="Apply"/> without parameters would leave out anything of the resource.</summary>
    private static bool WithholdsAnything(JsonObject resource, ScimResourceSchema schema)
    {
        foreach (var (name, value) in resource)
        {
            if (string.Equals(name, Common.Schemas, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (schema.FindExtension(name) is { } extension && value is JsonObject extensionObject)
            {
                if (extensionObject.Count == 0)
                {
                    return true;
                }

                foreach (var (innerName, innerValue) in extensionObject)
                {
                    if (Withholds(extension.FindAttribute(innerName), innerValue))
                    {
                        return true;
                    }
                }

                continue;
            }

            if (Withholds(schema.Core.FindAttribute(name), value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>As <see cref="Project"/> without parameters decides: nulls, never and request attributes, never sub-attributes.</summary>
    private static bool Withholds(ScimAttributeDefinition? definition, JsonNode? value)
    {
        var returned = definition?.Returned ?? ScimReturned.Default;
        if (value is null || ScimAttributeDefinition.IsWithheldByDefault(returned))
        {
            return true;
        }

        if (returned == ScimReturned.Always || definition is null)
        {
            return false;
        }

        IEnumerable<JsonObject> elements = value switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject complex => [complex],
            _ => [],
        };
        foreach (var never in definition.SubAttributes)
        {
            if (never.Returned == ScimReturned.Never && elements.Any(element => element.Any(p => string.Equals(p.Key, never.Name, StringComparison.OrdinalIgnoreCase))))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonNode? Project(ScimResourceSchema resourceSchema, ScimSchema owner, string name, JsonNode? value, IReadOnlyList<AttributePath> attributes, IReadOnlyList<AttributePath> excluded)
    {
        var definition = owner.FindAttribute(name);
        var returned = definition?.Returned ?? ScimReturned.Default;
        if (value is null || returned == ScimReturned.Never)
        {
            return null;
        }

        if (returned == ScimReturned.Always)
        {
            return value.DeepClone();
        }

        if (attributes.Count > 0)
        {
            var requested = attributes.Where(p => Refers(resourceSchema, owner, name, p)).ToList();
            if (requested.Count == 0)
            {
                return null;
            }

            if (requested.Any(p => p.SubAttribute is null))
            {
                return WithoutNever(value, definition);
            }

            var subNames = requested.Select(p => p.SubAttribute!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return KeepSubAttributes(value, subNames);
        }

        if (returned == ScimReturned.Request)
        {
            return null;
        }

        var excludedHere = excluded.Where(p => Refers(resourceSchema, owner, name, p)).ToList();
        if (excludedHere.Any(p => p.SubAttribute is null))
        {
            return null;
        }

        var projected = WithoutNever(value, definition);
        if (excludedHere.Count > 0 && projected is not null)
        {
            var dropped = excludedHere.Select(p => p.SubAttribute!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            projected = RemoveSubAttributes(projected, dropped, definition);
        }

        return projected;
    }

    /// <summary>
    /// Whether a requested path names this attribute. Unqualified names mean the core schema
    /// (RFC 7644 §3.10) but, as clients do send them, also an extension attribute that the core
    /// schema does not have.
    /// </summary>
    private static bool Refers(ScimResourceSchema resourceSchema, ScimSchema owner, string name, AttributePath path)
    {
        if (!string.Equals(path.Name, name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (path.SchemaUrn is not null)
        {
            return owner.IsNamed(path.SchemaUrn);
        }

        return ReferenceEquals(owner, resourceSchema.Core) || resourceSchema.Core.FindAttribute(name) is null;
    }

    private static bool Names(IReadOnlyList<AttributePath> paths, string schemaId) =>
        paths.Any(p => p.SchemaUrn is null && p.SubAttribute is null && string.Equals(p.Name, schemaId, StringComparison.OrdinalIgnoreCase));

    private static JsonNode? WithoutNever(JsonNode? value, ScimAttributeDefinition? definition)
    {
        if (value is null || definition?.Returned == ScimReturned.Never)
        {
            return null;
        }

        if (definition is null)
        {
            return value.DeepClone();
        }

        var never = definition.SubAttributes.Where(s => s.Returned == ScimReturned.Never).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return never.Count == 0 ? value.DeepClone() : RemoveSubAttributes(value.DeepClone(), never, definition);
    }

    private static JsonNode? KeepSubAttributes(JsonNode value, HashSet<string> keep)
    {
        static JsonObject? Keep(JsonObject element, HashSet<string> names)
        {
            var kept = new JsonObject();
            foreach (var (key, sub) in element)
            {
                if (names.Contains(key))
                {
                    kept[key] = sub?.DeepClone();
                }
            }

            return kept.Count == 0 ? null : kept;
        }

        if (value is JsonArray array)
        {
            var result = new JsonArray();
            foreach (var element in array.OfType<JsonObject>())
            {
                if (Keep(element, keep) is { } kept)
                {
                    result.Add(kept);
                }
            }

            return result.Count == 0 ? null : result;
        }

        return value is JsonObject complex ? Keep(complex, keep) : null;
    }

    private static JsonNode RemoveSubAttributes(JsonNode value, HashSet<string> remove, ScimAttributeDefinition? definition)
    {
        var always = definition?.SubAttributes.Where(s => s.Returned == ScimReturned.Always).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        IEnumerable<JsonObject> elements = value switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject complex => [complex],
            _ => [],
        };
        foreach (var element in elements)
        {
            foreach (var key in element.Select(p => p.Key).Where(k => remove.Contains(k) && !always.Contains(k)).ToList())
            {
                element.Remove(key);
            }
        }

        return value;
    }
}
