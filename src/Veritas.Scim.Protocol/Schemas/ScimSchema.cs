namespace Veritas.Scim.Protocol.Schemas;

/// <summary>A schema of RFC 7643 §7: its URN and its top-level attributes.</summary>
public sealed class ScimSchema(string id, string name, string description, IReadOnlyList<ScimAttributeDefinition> attributes)
{
    private readonly byte[] _utf8Id = System.Text.Encoding.UTF8.GetBytes(id);

    public string Id { get; } = id;

    /// <summary><see cref="Id"/> in UTF-8, for matching JSON member names without transcoding them.</summary>
    public ReadOnlySpan<byte> Utf8Id => _utf8Id;

    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<ScimAttributeDefinition> Attributes { get; } = attributes;

    /// <summary>Attribute names are case-insensitive (RFC 7643 §2.1).</summary>
    public ScimAttributeDefinition? FindAttribute(string name) => ScimAttributeDefinition.FindByName(Attributes, name);

    public bool IsNamed(string urn) => string.Equals(Id, urn, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Id;
}
