namespace Veritas.Scim.Translation.Aliases;

/// <summary>The outcome of normalising a client's <c>emailAliases</c> value.</summary>
/// <param name="Addresses">Valid SMTP addresses without prefix, de-duplicated case-insensitively,
/// without the primary address, in order of first appearance and in the spelling first seen.</param>
/// <param name="Dropped">Entries of other proxy types (<c>x500:</c>, <c>sip:</c> …), as sent; not errors.</param>
/// <remarks>The value as the client sent it is not part of the set: the user map keeps it (it is read on every request, and a copy here cost each read a clone of it).</remarks>
public sealed record EmailAliasSet(IReadOnlyList<string> Addresses, IReadOnlyList<string> Dropped)
{
    public static EmailAliasSet Empty { get; } = new([], []);
}
