using System.Text.Json;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// The resource <see cref="ToResource"/> makes, written straight to JSON: a response builds no
/// tree of nodes for it (parsing the user map into one, overlaying it and serializing it was most
/// of what a read allocated). The stored map is read once, its members copied in their order with
/// the columns overlaid where <see cref="ToResource"/> puts them. A property test holds the two to
/// the same bytes over generated accounts and maps.
/// </summary>
public sealed partial class UserMapper
{
    private static readonly string[] s_appendedInOrder = ["externalId", "userName", "name", "displayName", "active", "emails", UserSchemas.VeritasSchemaId];

    // Stored members are matched by their UTF-8 names: NameEquals(string) transcodes its argument on every call.
    private static readonly byte[][] s_appendedInOrderUtf8 = [.. s_appendedInOrder.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Writes the account as a response without <c>attributes</c> or <c>excludedAttributes</c>
    /// shows it: <see cref="ToResource"/> under <see cref="AttributeProjection.ApplyToOwned"/>.
    /// A map holding anything that projection would withhold takes that path itself.
    /// </summary>
    public static void WriteResource(Utf8JsonWriter writer, ArchiveAccount account, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(account);
        using var document = ParseStoredMap(account, static json => JsonDocument.Parse(json));
        var stored = document?.RootElement is { ValueKind: JsonValueKind.Object } root ? root : default;
        var overlay = new Overlay(account, stored);
        if (overlay.MayWithhold)
        {
            AttributeProjection.ApplyToOwned(ToResource(account, baseUrl), User, [], []).WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(User.Core.Id);
        foreach (var extension in User.Extensions)
        {
            if (extension.Id == UserSchemas.VeritasSchemaId ? overlay.HasExtension : Member(stored, extension.Id).ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                writer.WriteStringValue(extension.Id);
            }
        }

        writer.WriteEndArray();
        writer.WriteString("id", account.VaultEntryId);
        var overlaid = 0;
        if (stored.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in stored.EnumerateObject())
            {
                if (IsNeverStoredName(property))
                {
                    continue;
                }

                var overlayIndex = OverlaidIndex(property);
                if (overlayIndex >= 0)
                {
                    overlaid |= 1 << overlayIndex;
                    overlay.Write(writer, s_appendedInOrder[overlayIndex]);
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    property.WriteTo(writer);
                }
            }
        }

        for (var index = 0; index < s_appendedInOrder.Length; index++)
        {
            if ((overlaid & (1 << index)) == 0)
            {
                overlay.Write(writer, s_appendedInOrder[index]);
            }
        }

        writer.WriteStartObject("meta");
        writer.WriteString("resourceType", User.Name);
        writer.WriteString("created", FormatTime(account.CreatedUtc));
        writer.WriteString("lastModified", FormatTime(account.ModifiedUtc));
        writer.WriteString("location", LocationOf(account, baseUrl));
        writer.WriteString("version", ETagFor(account));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static bool IsNeverStoredName(JsonProperty property) =>
        property.NameEquals("schemas"u8) || property.NameEquals("id"u8) || property.NameEquals("meta"u8);

    /// <summary>
    /// The user map parsed; null when there is none or it is not JSON. The map is the client's
    /// copy beside the columns, which are the account: one the gateway cannot read (written
    /// around it, cut short) leaves the account read as if SCIM had never written it, the same on
    /// every path, and the next write through SCIM stores a whole one again.
    /// </summary>
    private static T? ParseStoredMap<T>(ArchiveAccount account, Func<string, T?> parse)
        where T : class
    {
        if (account.ScimAttributesJson is not { } json)
        {
            return null;
        }

        try
        {
            return parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Which overlaid member a stored one is (by its UTF-8 name: no string is made for it), or -1.</summary>
    private static int OverlaidIndex(JsonProperty property)
    {
        for (var index = 0; index < s_appendedInOrderUtf8.Length; index++)
        {
            if (property.NameEquals(s_appendedInOrderUtf8[index]))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>A stored member's definition in <paramref name="schema"/>, matched as <see cref="ScimSchema.FindAttribute"/> matches (the exact spelling first, without making a string of the name).</summary>
    private static ScimAttributeDefinition? DefinitionOf(ScimSchema schema, JsonProperty property) =>
        ExactDefinitionOf(schema, property) ?? schema.FindAttribute(property.Name);

    private static ScimAttributeDefinition? ExactDefinitionOf(ScimSchema schema, JsonProperty property)
    {
        var definitions = schema.Attributes;
        for (var index = 0; index < definitions.Count; index++)
        {
            if (property.NameEquals(definitions[index].Utf8Name))
            {
                return definitions[index];
            }
        }

        return null;
    }

    /// <summary>The extension a stored member names (a core attribute's exact name never does; only another spelling makes a string of the name).</summary>
    private static ScimSchema? ExtensionNamed(JsonProperty property)
    {
        foreach (var extension in User.Extensions)
        {
            if (property.NameEquals(extension.Utf8Id))
            {
                return extension;
            }
        }

        return ExactDefinitionOf(User.Core, property) is null ? User.FindExtension(property.Name) : null;
    }

    private static JsonElement Member(JsonElement stored, string name) =>
        stored.ValueKind == JsonValueKind.Object && stored.TryGetProperty(name, out var value) ? value : default;

    /// <summary>
    /// Writes an object as <paramref name="source"/> holds it (nothing, when it is no object) with
    /// each of <paramref name="overlays"/> in place of the member of that name, or after the others
    /// when there is none; an overlay without a value leaves its member out.
    /// </summary>
    private static void WriteOverlaidObject(Utf8JsonWriter writer, JsonElement source, params ReadOnlySpan<(string Name, string? Value)> overlays)
    {
        writer.WriteStartObject();
        Span<bool> written = stackalloc bool[overlays.Length];
        if (source.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in source.EnumerateObject())
            {
                var overlay = IndexOf(member, overlays);
                if (overlay < 0)
                {
                    member.WriteTo(writer);
                }
                else if (!written[overlay])
                {
                    WriteStringOrNothing(writer, overlays[overlay].Name, overlays[overlay].Value);
                    written[overlay] = true;
                }
            }
        }

        for (var index = 0; index < overlays.Length; index++)
        {
            if (!written[index])
            {
                WriteStringOrNothing(writer, overlays[index].Name, overlays[index].Value);
            }
        }

        writer.WriteEndObject();
    }

    private static bool HoldsMemberOtherThan(JsonElement source, params ReadOnlySpan<string> names)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in source.EnumerateObject())
        {
            var named = false;
            foreach (var name in names)
            {
                named |= member.NameEquals(name);
            }

            if (!named)
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(JsonProperty member, ReadOnlySpan<(string Name, string? Value)> overlays)
    {
        for (var index = 0; index < overlays.Length; index++)
        {
            if (member.NameEquals(overlays[index].Name))
            {
                return index;
            }
        }

        return -1;
    }

    private static void WriteStringOrNothing(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    internal static string LocationOf(ArchiveAccount account, string baseUrl) =>
        $"{baseUrl.TrimEnd('/')}/Users/{Uri.EscapeDataString(account.VaultEntryId)}";

    /// <summary>
    /// The rule of <see cref="SelectPrimaryEmail"/> over the stored array: typed "work" with an address
    /// and primary, else typed "work" with an address, else typed "work" and primary, else typed
    /// "work", else primary, else the first object.
    /// </summary>
    private static int PrimaryEmailIndex(JsonElement emails)
    {
        int? addressedWork = null, primaryWork = null, work = null, primary = null, first = null;
        var index = 0;
        foreach (var email in emails.EnumerateArray())
        {
            if (email.ValueKind == JsonValueKind.Object)
            {
                var isWork = email.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && string.Equals(type.GetString(), WorkType, StringComparison.OrdinalIgnoreCase);
                var isPrimary = email.TryGetProperty("primary", out var flag) && flag.ValueKind == JsonValueKind.True;
                var hasAddress = email.TryGetProperty("value", out var value) && value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!.Length > 0,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
                    _ => false,
                };
                if (isWork && hasAddress && isPrimary)
                {
                    return index;
                }

                addressedWork ??= isWork && hasAddress ? index : null;
                primaryWork ??= isWork && isPrimary ? index : null;
                work ??= isWork ? index : null;
                primary ??= isPrimary ? index : null;
                first ??= index;
            }

            index++;
        }

        return addressedWork ?? primaryWork ?? work ?? primary ?? first ?? -1;
    }

    /// <summary>What <see cref="ToResource"/> does to each member it overlays, decided from the stored map before anything is written.</summary>
    private readonly struct Overlay
    {
        private readonly ArchiveAccount _account;
        private readonly JsonElement _stored;
        private readonly JsonElement _emails;
        private readonly int _primaryEmail;
        private readonly JsonElement _extension;
        private readonly bool _aliasesAsStored;
        private readonly ExtensionOutcome _extensionOutcome;

        public Overlay(ArchiveAccount account, JsonElement stored)
        {
            _account = account;
            _stored = stored;
            _emails = Member(stored, "emails") is { ValueKind: JsonValueKind.Array } emails ? emails : default;
            _primaryEmail = _emails.ValueKind == JsonValueKind.Array ? PrimaryEmailIndex(_emails) : -1;
            _extension = Member(stored, UserSchemas.VeritasSchemaId);
            _aliasesAsStored = _extension.ValueKind == JsonValueKind.Object && _extension.TryGetProperty(UserSchemas.EmailAliases, out var raw) && raw.ValueKind != JsonValueKind.Null
                && EmailAliasNormalizer.AcceptedAddresses(raw, account.PrimarySmtpAddress) is { } asStored && SameAddresses(asStored, account.Aliases);
            _extensionOutcome = DecideExtension();
            HasExtension = _extensionOutcome != ExtensionOutcome.Omitted;
            MayWithhold = ComputeMayWithhold();
        }

        private enum ExtensionOutcome
        {
            Omitted,
            AsStored,
            WithoutAliases,
            WithJoinedAliases,
        }

        /// <summary>Whether the extension member ends up in the resource (and so its schema in <c>schemas</c>).</summary>
        public bool HasExtension { get; }

        /// <summary>Whether the default projection could leave out any part of the resource (then the tree path answers).</summary>
        public bool MayWithhold { get; }

        /// <summary>What <see cref="ToResource"/>'s alias overlay makes of the extension member.</summary>
        private ExtensionOutcome DecideExtension()
        {
            var stored = _extension.ValueKind;
            if (_aliasesAsStored)
            {
                return ExtensionOutcome.AsStored;
            }

            if (_account.Aliases.Count > 0)
            {
                return ExtensionOutcome.WithJoinedAliases;
            }

            if (stored != JsonValueKind.Object)
            {
                // No object to take the aliases out of: a stored value stays as it is (a null is dropped with the other nulls).
                return stored is JsonValueKind.Undefined or JsonValueKind.Null ? ExtensionOutcome.Omitted : ExtensionOutcome.AsStored;
            }

            return HoldsMemberOtherThan(_extension, UserSchemas.EmailAliases) ? ExtensionOutcome.WithoutAliases : ExtensionOutcome.Omitted;
        }

        public void Write(Utf8JsonWriter writer, string name)
        {
            switch (name)
            {
                case "externalId":
                    WriteStringOrNothing(writer, name, _account.ExternalId);
                    break;
                case "userName":
                    writer.WriteString(name, _account.UserName);
                    break;
                case "displayName":
                    WriteStringOrNothing(writer, name, _account.DisplayName);
                    break;
                case "active":
                    writer.WriteBoolean(name, _account.Status == AccountStatus.Enabled);
                    break;
                case "name":
                    WriteName(writer);
                    break;
                case "emails":
                    WriteEmails(writer);
                    break;
                default:
                    WriteExtension(writer);
                    break;
            }
        }

        private void WriteName(Utf8JsonWriter writer)
        {
            // A name left without members is dropped, as the tree's nulls are.
            var stored = Member(_stored, "name");
            if (_account.FirstName is null && _account.LastName is null && !HoldsMemberOtherThan(stored, "givenName", "familyName"))
            {
                return;
            }

            writer.WritePropertyName("name");
            WriteOverlaidObject(writer, stored, ("givenName", _account.FirstName), ("familyName", _account.LastName));
        }

        private void WriteEmails(Utf8JsonWriter writer)
        {
            var primary = _account.PrimarySmtpAddress;
            if (_primaryEmail < 0)
            {
                if (primary is not null)
                {
                    // A pre-existing account shows its primary address the way Entra maps it.
                    writer.WriteStartArray("emails");
                    writer.WriteStartObject();
                    writer.WriteString("value", primary);
                    writer.WriteString("type", WorkType);
                    writer.WriteBoolean("primary", true);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }
                else if (Member(_stored, "emails") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } asStored)
                {
                    writer.WritePropertyName("emails");
                    asStored.WriteTo(writer);
                }

                return;
            }

            writer.WriteStartArray("emails");
            var index = 0;
            foreach (var email in _emails.EnumerateArray())
            {
                if (index++ != _primaryEmail)
                {
                    email.WriteTo(writer);
                    continue;
                }

                WriteOverlaidObject(writer, email, ("value", primary));
            }

            writer.WriteEndArray();
        }

        private void WriteExtension(Utf8JsonWriter writer)
        {
            switch (_extensionOutcome)
            {
                case ExtensionOutcome.Omitted:
                    return;
                case ExtensionOutcome.AsStored:
                    writer.WritePropertyName(UserSchemas.VeritasSchemaId);
                    _extension.WriteTo(writer);
                    return;
                default:
                    writer.WritePropertyName(UserSchemas.VeritasSchemaId);
                    var joined = _extensionOutcome == ExtensionOutcome.WithJoinedAliases ? string.Join(',', _account.Aliases) : null;
                    WriteOverlaidObject(writer, _extension, (UserSchemas.EmailAliases, joined));
                    return;
            }
        }

        /// <summary>
        /// Conservative: true when any member the resource will hold is one the default projection
        /// might leave out (a definition or sub-attribute returned never or by request, a null in an
        /// extension). The overlaid columns never are; the stored members are what is checked.
        /// </summary>
        private bool ComputeMayWithhold()
        {
            if (_stored.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var member in _stored.EnumerateObject())
            {
                if (member.Value.ValueKind == JsonValueKind.Null || IsNeverStoredName(member))
                {
                    continue;
                }

                if (member.Value.ValueKind == JsonValueKind.Object && ExtensionNamed(member) is { } extension)
                {
                    if (member.Value.GetPropertyCount() == 0)
                    {
                        return true;
                    }

                    foreach (var inner in member.Value.EnumerateObject())
                    {
                        if (inner.Value.ValueKind == JsonValueKind.Null || !AttributeProjection.AlwaysReturnsWhole(DefinitionOf(extension, inner)))
                        {
                            return true;
                        }
                    }

                    continue;
                }

                if (!AttributeProjection.AlwaysReturnsWhole(DefinitionOf(User.Core, member)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
