namespace Veritas.Scim.Protocol.Schemas;

/// <summary>A schema of RFC 7643 §7: its URN and its top-level attributes.</summary>
public sealed class ScimSchema(string id, string name, string description, IReadOnlyList<ScimAttributeDefinition> attributes)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<ScimAttributeDefinition> Attributes { get; } = attributes;

    /// <summary>Attribute names are case-insensitive (RFC 7643 §2.1).</summary>
    public ScimAttributeDefinition? FindAttribute(string name) => ScimAttributeDefinition.FindByName(Attributes, name);

    public bool IsNamed(string urn) => string.Equals(Id, urn, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Id;
}
