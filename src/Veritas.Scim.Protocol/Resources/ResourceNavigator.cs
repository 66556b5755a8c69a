using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Resources;

/// <summary>Finds attribute values in a canonical resource, by schema or by name for attributes no schema defines.</summary>
public static class ResourceNavigator
{
    /// <summary>
    /// The object that holds the attribute's value: the resource for core attributes, the
    /// extension object for extension attributes (null when the resource has none).
    /// </summary>
    public static JsonObject? GetContainer(JsonObject resource, ScimResourceSchema schema, AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(path);
        if (path.SchemaUrn is null || schema.Core.IsNamed(path.SchemaUrn))
        {
            return resource;
        }

        var extension = schema.FindSchema(path.SchemaUrn);
        var key = extension?.Id ?? path.SchemaUrn;
        return ResourceCanonicalizer.GetPropertyIgnoreCase(resource, key, out _) as JsonObject;
    }

    /// <summary>The top-level attribute's value (array, object or scalar), or null when absent.</summary>
    public static JsonNode? GetAttribute(JsonObject resource, ScimResourceSchema schema, AttributePath path)
    {
        var container = GetContainer(resource, schema, path);
        return container is null ? null : ResourceCanonicalizer.GetPropertyIgnoreCase(container, path.Name, out _);
    }

    /// <summary>
    /// Every value the path reaches: the elements of a multi-valued attribute, or the named
    /// sub-attribute of each element. Nulls are skipped.
    /// </summary>
    public static IEnumerable<JsonNode> GetValues(JsonObject resource, ScimResourceSchema schema, AttributePath path)
    {
        var attribute = GetAttribute(resource, schema, path);
        if (attribute is null)
        {
            yield break;
        }

        IEnumerable<JsonNode?> elements = attribute is JsonArray array ? array : [attribute];
        foreach (var element in elements)
        {
            if (path.SubAttribute is null)
            {
                if (element is not null)
                {
                    yield return element;
                }
            }
            else if (element is JsonObject complex && ResourceCanonicalizer.GetPropertyIgnoreCase(complex, path.SubAttribute, out _) is { } sub)
            {
                yield return sub;
            }
        }
    }

    /// <summary>
    /// The single value that stands for a possibly multi-valued attribute when sorting (RFC 7644
    /// §3.4.2.3): the primary element's value, else the first.
    /// </summary>
    public static JsonNode? GetRepresentativeValue(JsonObject resource, ScimResourceSchema schema, AttributePath path)
    {
        var attribute = GetAttribute(resource, schema, path);
        if (attribute is JsonArray array)
        {
            var chosen = array.OfType<JsonObject>().FirstOrDefault(IsPrimary) ?? array.FirstOrDefault();
            return chosen is JsonObject complex
                ? ResourceCanonicalizer.GetPropertyIgnoreCase(complex, path.SubAttribute ?? "value", out _)
                : chosen;
        }

        if (path.SubAttribute is not null)
        {
            return attribute is JsonObject complex ? ResourceCanonicalizer.GetPropertyIgnoreCase(complex, path.SubAttribute, out _) : null;
        }

        return attribute;
    }

    private static bool IsPrimary(JsonObject element) =>
        ResourceCanonicalizer.GetPropertyIgnoreCase(element, "primary", out _) is JsonValue flag
        && flag.TryGetValue<bool>(out var primary)
        && primary;
}
