using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// A user as filters see it: the resource the gateway returns, but with <c>emailAliases</c> as
/// the list of live alias addresses the archive routes mail for. The returned resource keeps the
/// raw form the client wrote (<c>"SMTP:a@x,smtp:b@x,x500:…"</c>); a filter asks about addresses,
/// so <c>emailAliases eq "b@x"</c> matches when b@x is one of them, in any letter case, as the
/// stores' alias rows answer it.
/// </summary>
internal static class UserFilterView
{
    /// <summary>
    /// Whether the view differs from the resource for this filter: only a path into the Veritas
    /// extension (or named emailAliases, in any letter case, with or without its URN) can see
    /// the difference. Conservative by name, so a filter the view would answer differently is
    /// never evaluated on the resource; anything else skips a copy of the whole resource.
    /// </summary>
    public static bool AsksAboutAliases(Filter filter) => filter switch
    {
        ComparisonFilter comparison => Names(comparison.Path),
        PresentFilter present => Names(present.Path),
        ValuePathFilter valuePath => Names(valuePath.Path) || AsksAboutAliases(valuePath.ValueFilter),
        AndFilter and => AsksAboutAliases(and.Left) || AsksAboutAliases(and.Right),
        OrFilter or => AsksAboutAliases(or.Left) || AsksAboutAliases(or.Right),
        NotFilter not => AsksAboutAliases(not.Operand),
        _ => true,
    };

    private static bool Names(AttributePath path) =>
        Mentions(path.SchemaUrn) || Mentions(path.Name) || Mentions(path.SubAttribute);

    private static bool Mentions(string? text) =>
        text is not null
        && (text.Contains(UserSchemas.EmailAliases, StringComparison.OrdinalIgnoreCase)
            || text.Contains(UserSchemas.VeritasSchemaId, StringComparison.OrdinalIgnoreCase));

    public static JsonObject Of(ArchiveAccount account, JsonObject resource)
    {
        var view = (JsonObject)resource.DeepClone();
        var extension = view[UserSchemas.VeritasSchemaId] as JsonObject;
        if (account.Aliases.Count == 0)
        {
            extension?.Remove(UserSchemas.EmailAliases);
            return view;
        }

        extension ??= [];
        extension[UserSchemas.EmailAliases] = new JsonArray([.. account.Aliases.Select(address => (JsonNode)JsonValue.Create(address))]);
        view[UserSchemas.VeritasSchemaId] = extension;
        return view;
    }
}
