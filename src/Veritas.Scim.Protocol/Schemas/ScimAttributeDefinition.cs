using System.Diagnostics.CodeAnalysis;

namespace Veritas.Scim.Protocol.Schemas;

/// <summary>The attribute data types of RFC 7643 §2.3, named as the RFC names them.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are RFC 7643's type names.")]
public enum ScimAttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

public enum ScimMutability
{
    ReadWrite,
    ReadOnly,
    Immutable,
    WriteOnly,
}

public enum ScimReturned
{
    Default,
    Always,
    Never,
    Request,
}

public enum ScimUniqueness
{
    None,
    Server,
    Global,
}

/// <summary>One attribute definition with the characteristics of RFC 7643 §7.</summary>
public sealed class ScimAttributeDefinition
{
    private readonly byte[] _utf8Name;
    private int _returnedWhole;

    public ScimAttributeDefinition(string name, ScimAttributeType type = ScimAttributeType.String)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Type = type;
        _utf8Name = System.Text.Encoding.UTF8.GetBytes(name);
    }

    public string Name { get; }

    /// <summary><see cref="Name"/> in UTF-8, for matching JSON member names without transcoding them.</summary>
    public ReadOnlySpan<byte> Utf8Name => _utf8Name;

    public ScimAttributeType Type { get; }

    public bool MultiValued { get; init; }

    public bool Required { get; init; }

    public bool CaseExact { get; init; }

    public ScimMutability Mutability { get; init; }

    public ScimReturned Returned { get; init; }

    public ScimUniqueness Uniqueness { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>
    /// The service always holds a value (the archive account always has a status): left out on
    /// create it takes its default, but a PATCH may not remove it or make it unassigned, because
    /// the client would read back a value it did not ask for. PATCH treats it like a required
    /// attribute (RFC 7644 §3.5.2.2); discovery still says <c>required: false</c>, since create
    /// does not require it.
    /// </summary>
    public bool AlwaysAssigned { get; init; }

    /// <summary>Removing it, or making it unassigned, is a mutability error (RFC 7644 §3.5.2.2).</summary>
    public bool MustStayAssigned => Required || AlwaysAssigned;

    /// <summary>
    /// The value is kept exactly as the client wrote it, in whatever JSON shape, because the
    /// client compares what it reads back with what it wrote (emailAliases); its meaning is
    /// interpreted by the layer that uses it.
    /// </summary>
    public bool PreserveRawValue { get; init; }

    public IReadOnlyList<ScimAttributeDefinition> SubAttributes { get; init; } = [];

    public IReadOnlyList<string> CanonicalValues { get; init; } = [];

    public IReadOnlyList<string> ReferenceTypes { get; init; } = [];

    /// <summary>
    /// Neither this attribute nor any sub-attribute is returned never or only by request, so a
    /// response without attributes or excludedAttributes shows all of it. Decided once (the
    /// definition does not change after it is made); read for every stored member of every read.
    /// </summary>
    internal bool IsReturnedWhole
    {
        get
        {
            if (_returnedWhole == 0)
            {
                var whole = !IsWithheldByDefault(Returned) && SubAttributes.All(sub => !IsWithheldByDefault(sub.Returned));
                _returnedWhole = whole ? 1 : 2;
            }

            return _returnedWhole == 1;
        }
    }

    /// <summary>Attribute names are case-insensitive (RFC 7643 §2.1).</summary>
    public ScimAttributeDefinition? FindSubAttribute(string name) => FindByName(SubAttributes, name);

    /// <summary>A plain loop: lookups run for every attribute of every request and filter evaluation.</summary>
    internal static ScimAttributeDefinition? FindByName(IReadOnlyList<ScimAttributeDefinition> definitions, string name)
    {
        for (var i = 0; i < definitions.Count; i++)
        {
            if (string.Equals(definitions[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return definitions[i];
            }
        }

        return null;
    }

    public override string ToString() => Name;

    /// <summary>Returned never, or only when asked for: left out of a response without attributes (RFC 7643 §7).</summary>
    internal static bool IsWithheldByDefault(ScimReturned returned) => returned is ScimReturned.Never or ScimReturned.Request;
}
