using System.Text.Json.Nodes;
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
