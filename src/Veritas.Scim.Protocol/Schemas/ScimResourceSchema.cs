using Veritas.Scim.Protocol.Filtering;

namespace Veritas.Scim.Protocol.Schemas;

/// <summary>
/// A resource type's schemas: the core schema and its extensions (RFC 7643 §6). Resolves attribute
/// paths case-insensitively, with or without a schema URN prefix.
/// </summary>
public sealed class ScimResourceSchema(string name, string endpoint, ScimSchema core, IReadOnlyList<ScimSchema> extensions)
{
    public string Name { get; } = name;

    public string Endpoint { get; } = endpoint;

    public ScimSchema Core { get; } = core;

    public IReadOnlyList<ScimSchema> Extensions { get; } = extensions;

    /// <summary>The core schema, then the extensions.</summary>
    public IReadOnlyList<ScimSchema> AllSchemas { get; } = [core, .. extensions];

    /// <summary>A plain loop, like the attribute lookups: it runs for every property of every resource served.</summary>
    public ScimSchema? FindExtension(string urn) => FindNamed(Extensions, urn);

    public ScimSchema? FindSchema(string urn) => FindNamed(AllSchemas, urn);

    private static ScimSchema? FindNamed(IReadOnlyList<ScimSchema> schemas, string urn)
    {
        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i].IsNamed(urn))
            {
                return schemas[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves a path; null when no schema of this resource defines it (such attributes are
    /// kept as the client sent them, and compared with default characteristics).
    /// </summary>
    public ResolvedAttributePath? Resolve(AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.SchemaUrn is not null)
        {
            var schema = FindSchema(path.SchemaUrn);
            return schema is null ? null : Resolve(schema, path.Name, path.SubAttribute);
        }

        return Resolve(Core, path.Name, path.SubAttribute);
    }

    /// <summary>
    /// Splits a name that may carry a schema URN prefix (<c>urn:…:User:name.givenName</c>) into an
    /// attribute path. The URN is recognised only when it is one of this resource's schemas.
    /// </summary>
    public AttributePath ParseQualifiedName(string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        string? urn = null;
        var rest = qualifiedName;
        foreach (var schema in AllSchemas)
        {
            if (qualifiedName.Length > schema.Id.Length + 1
                && qualifiedName.StartsWith(schema.Id, StringComparison.OrdinalIgnoreCase)
                && qualifiedName[schema.Id.Length] == ':')
            {
                urn = schema.Id;
                rest = qualifiedName[(schema.Id.Length + 1)..];
                break;
            }
        }

        if (urn is null && FindSchema(qualifiedName) is { } wholeSchema)
        {
            // A schema URN alone ("attributes=urn:…:veritas:2.0:User") names the whole extension.
            return new AttributePath(null, wholeSchema.Id);
        }

        // Attribute names never contain ':', so a sub-attribute dot can only follow the last one;
        // dots before it belong to a URN's version ("2.0").
        var dot = rest.IndexOf('.', rest.LastIndexOf(':') + 1);
        return dot < 0
            ? new AttributePath(urn, rest)
            : new AttributePath(urn, rest[..dot], rest[(dot + 1)..]);
    }

    private ResolvedAttributePath? Resolve(ScimSchema schema, string name, string? subAttribute)
    {
        var attribute = schema.FindAttribute(name);
        if (attribute is null)
        {
            return null;
        }

        ScimAttributeDefinition? sub = null;
        if (subAttribute is not null)
        {
            sub = attribute.FindSubAttribute(subAttribute);
            if (sub is null)
            {
                return null;
            }
        }

        return new ResolvedAttributePath(schema, attribute, sub, !ReferenceEquals(schema, Core));
    }
}
