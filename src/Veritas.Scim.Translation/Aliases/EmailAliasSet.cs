using System.Text.Json.Nodes;

namespace Veritas.Scim.Translation.Aliases;

/// <summary>The outcome of normalising a client's <c>emailAliases</c> value.</summary>
/// <param name="Addresses">Valid SMTP addresses without prefix, de-duplicated case-insensitively,
/// without the primary address, in order of first appearance and in the spelling first seen.</param>
/// <param name="Dropped">Entries of other proxy types (<c>x500:</c>, <c>sip:</c> …), as sent; not errors.</param>
/// <param name="Raw">A deep copy of the value as the client sent it, so that it can be returned verbatim.</param>
public sealed record EmailAliasSet(IReadOnlyList<string> Addresses, IReadOnlyList<string> Dropped, JsonNode? Raw)
{
    public static EmailAliasSet Empty { get; } = new([], [], null);
}
