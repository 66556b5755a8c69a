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

    /// <summary>
    /// Whether every path of the filter names a top-level core attribute the resource shows
    /// exactly as a column holds it (<see cref="ColumnAttributes"/>, no sub-attribute, no value
    /// path): then <see cref="Columns"/> answers the filter as the whole resource would, and a
    /// query by userName builds no resource for a candidate it does not return.
    /// </summary>
    public static bool AsksOnlyAboutColumns(Filter filter) => filter switch
    {
        ComparisonFilter comparison => IsColumn(comparison.Path),
        PresentFilter present => IsColumn(present.Path),
        AndFilter and => AsksOnlyAboutColumns(and.Left) && AsksOnlyAboutColumns(and.Right),
        OrFilter or => AsksOnlyAboutColumns(or.Left) && AsksOnlyAboutColumns(or.Right),
        NotFilter not => AsksOnlyAboutColumns(not.Operand),
        _ => false,
    };

    /// <summary>The attributes <see cref="UserMapper.ToResource"/> overlays with a column's value, as it is.</summary>
    public static IReadOnlyList<string> ColumnAttributes { get; } = ["id", "userName", "externalId", "displayName", "active"];

    /// <summary>The account's column attributes, as the resource shows them.</summary>
    public static JsonObject Columns(ArchiveAccount account)
    {
        var columns = new JsonObject { ["id"] = account.VaultEntryId, ["userName"] = account.UserName };
        if (account.ExternalId is not null)
        {
            columns["externalId"] = account.ExternalId;
        }

        if (account.DisplayName is not null)
        {
            columns["displayName"] = account.DisplayName;
        }

        columns["active"] = account.Status == AccountStatus.Enabled;
        return columns;
    }

    private static bool IsColumn(AttributePath path) =>
        path.SubAttribute is null
        && (path.SchemaUrn is null || UserSchemas.Resource.Core.IsNamed(path.SchemaUrn))
        && ColumnAttributes.Contains(path.Name, StringComparer.OrdinalIgnoreCase);

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
