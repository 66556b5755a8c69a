namespace Veritas.Scim.Protocol.Filtering;

/// <summary>
/// Bounds on filter and PATCH path text, so that a hostile request costs little: the parser
/// refuses longer or deeper input with <c>400 invalidFilter</c> (or <c>invalidPath</c>).
/// </summary>
public sealed class FilterParserOptions
{
    public static FilterParserOptions Default { get; } = new();

    /// <summary>The longest text accepted, in characters.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>
    /// The deepest nesting accepted: each <c>( … )</c>, <c>not ( … )</c> and <c>[ … ]</c> is one
    /// level. Chains of <c>and</c>/<c>or</c> at one level are not nesting and are bounded only by
    /// <see cref="MaxLength"/>.
    /// </summary>
    public int MaxDepth { get; init; } = 32;
}
