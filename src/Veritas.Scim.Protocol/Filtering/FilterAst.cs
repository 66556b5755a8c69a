namespace Veritas.Scim.Protocol.Filtering;

/// <summary>
/// An attribute reference of RFC 7644 §3.10: an optional schema URN, an attribute name and an
/// optional sub-attribute (<c>name.familyName</c>). Names keep the letter case the client wrote;
/// resolution against a schema is case-insensitive.
/// </summary>
public sealed record AttributePath(string? SchemaUrn, string Name, string? SubAttribute = null);

/// <summary>The comparison operators of RFC 7644 §3.4.2.2 (<c>pr</c> is <see cref="PresentFilter"/>).</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>A node of a parsed SCIM filter.</summary>
public abstract record Filter;

/// <summary><c>path op value</c>.</summary>
public sealed record ComparisonFilter(AttributePath Path, ComparisonOperator Operator, FilterLiteral Value) : Filter;

/// <summary><c>path pr</c>.</summary>
public sealed record PresentFilter(AttributePath Path) : Filter;

public sealed record AndFilter(Filter Left, Filter Right) : Filter;

public sealed record OrFilter(Filter Left, Filter Right) : Filter;

/// <summary><c>not ( filter )</c>.</summary>
public sealed record NotFilter(Filter Operand) : Filter;

/// <summary>
/// <c>emails[type eq "work"]</c>: true when some value of the multi-valued <see cref="Path"/>
/// matches <see cref="ValueFilter"/>, whose paths name sub-attributes of <see cref="Path"/>.
/// </summary>
public sealed record ValuePathFilter(AttributePath Path, Filter ValueFilter) : Filter;

/// <summary>The kinds of comparison value a filter may carry.</summary>
public enum FilterLiteralKind
{
    /// <summary>A quoted JSON string, or a bare word a client sent unquoted (Entra: <c>externalId eq jyoung</c>).</summary>
    Text,
    Number,
    Boolean,
    Null,
}

/// <summary>
/// A comparison value. <see cref="Value"/> holds the string, or the number's exact source text;
/// date-times are strings compared as instants where the attribute is of type dateTime.
/// </summary>
public sealed record FilterLiteral(FilterLiteralKind Kind, string? Value, bool Boolean = false)
{
    public static FilterLiteral Null { get; } = new(FilterLiteralKind.Null, null);

    public static FilterLiteral FromString(string value) => new(FilterLiteralKind.Text, value);

    public static FilterLiteral FromBoolean(bool value) => new(FilterLiteralKind.Boolean, null, value);

    public static FilterLiteral FromNumber(string sourceText) => new(FilterLiteralKind.Number, sourceText);
}

/// <summary>
/// A PATCH path of RFC 7644 §3.5.2: <c>attrPath</c>, or <c>valuePath [ "." subAttr ]</c> such as
/// <c>emails[type eq "work"].value</c>.
/// </summary>
/// <param name="Attribute">The attribute (with its sub-attribute when there is no value filter).</param>
/// <param name="ValueFilter">The filter in brackets, selecting values of a multi-valued attribute.</param>
/// <param name="SubAttribute">The sub-attribute after the brackets.</param>
public sealed record PatchPath(AttributePath Attribute, Filter? ValueFilter = null, string? SubAttribute = null);
