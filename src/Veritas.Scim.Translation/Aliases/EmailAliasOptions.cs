namespace Veritas.Scim.Translation.Aliases;

/// <summary>Bounds applied while normalising <c>emailAliases</c>.</summary>
public sealed class EmailAliasOptions
{
    public static EmailAliasOptions Default { get; } = new();

    /// <summary>The most aliases one user may carry (after de-duplication); more is 400 invalidValue.</summary>
    public int MaxCount { get; init; } = 500;
}
