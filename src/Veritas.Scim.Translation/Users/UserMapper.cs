using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// SCIM User ⇄ archive account, by the mapping table of DESIGN.md §5. The columns hold what the
/// archive understands; the user map keeps the client's own representation of everything else
/// (the raw emailAliases form, attributes without a column), so that what a client wrote is what
/// it reads back and Entra finds nothing to change.
/// </summary>
public sealed partial class UserMapper(EmailAliasOptions aliasOptions)
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;
    private const string WorkType = "work";

    /// <summary>Server-owned attributes, and a password the archive must never keep.</summary>
    private static readonly string[] NeverRetained = ["id", "meta", "schemas", "password", "groups"];

    /// <summary>The archive state a canonical User asks for.</summary>
    /// <exception cref="ScimException">400 invalidValue for a missing userName, a bad work address, or a value too long for its column.</exception>
    public ArchiveAccountState ToState(JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var userName = ReadString(resource["userName"], "userName");
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw ScimException.InvalidValue("userName is required.");
        }

        var emails = resource["emails"] as JsonArray;
        var selected = SelectPrimaryEmail(emails);
        var primary = selected is { } email ? ReadString(email["value"], "emails.value") : null;
        if (primary is not null && !EmailAddressRules.IsValid(primary))
        {
            throw ScimException.InvalidValue($"The work e-mail address '{primary}' is not a valid SMTP address.");
        }

        var otherWorkEmails = OtherWorkEmails(emails, selected);
        var name = resource["name"] as JsonObject;
        var aliases = EmailAliasNormalizer.Normalize(Extension(resource)?[UserSchemas.EmailAliases], primary, aliasOptions);
        var active = resource["active"] is JsonValue flag ? flag.GetValue<bool>() : true;

        return new ArchiveAccountState(
            UserName: Limit(userName, ArchiveLimits.UserName, "userName")!,
            PrimarySmtpAddress: Limit(primary, ArchiveLimits.SmtpAddress, "emails[type eq \"work\"].value"),
            FirstName: Limit(ReadString(name?["givenName"], "name.givenName"), ArchiveLimits.FirstName, "name.givenName"),
            LastName: Limit(ReadString(name?["familyName"], "name.familyName"), ArchiveLimits.LastName, "name.familyName"),
            DisplayName: Limit(ReadString(resource["displayName"], "displayName"), ArchiveLimits.DisplayName, "displayName"),
            Enabled: active,
            ExternalId: Limit(ReadString(resource["externalId"], "externalId"), ArchiveLimits.ExternalId, "externalId"),
            Aliases: [.. aliases.Addresses.Select(a => Limit(a, ArchiveLimits.SmtpAddress, "emailAliases")!)],
            ScimAttributesJson: RetainedJson(resource))
        {
            OtherWorkEmails = otherWorkEmails,
        };
    }

    /// <summary>
    /// The work addresses besides the primary SMTP address, each a valid SMTP address, in ASCII
    /// lower case (how every store compares them), once each, and never the primary address itself.
    /// </summary>
    private static List<string> OtherWorkEmails(JsonArray? emails, JsonObject? selected)
    {
        var others = new List<string>();
        if (emails is null)
        {
            return others;
        }

        var primary = selected is null ? null : Fold(ReadString(selected["value"], "emails.value"));
        var length = 2;
        foreach (var email in emails.OfType<JsonObject>())
        {
            if (ReferenceEquals(email, selected) || !IsWorkEmail(email) || ReadString(email["value"], "emails.value") is not { } address)
            {
                continue;
            }

            if (!EmailAddressRules.IsValid(address))
            {
                throw ScimException.InvalidValue($"The work e-mail address '{address}' is not a valid SMTP address.");
            }

            var folded = Fold(address);
            if (folded != primary && !others.Contains(folded))
            {
                others.Add(folded);
                length += folded.Length + 3;
            }
        }

        return length <= ArchiveLimits.OtherWorkEmails
            ? others
            : throw ScimException.InvalidValue($"The work e-mail addresses are too many: together they may take at most {ArchiveLimits.OtherWorkEmails} characters.");
    }

    /// <summary>ASCII letters lower-cased, the rest as written (what NOCASE and a lowered ASCII parameter compare alike).</summary>
    private static string Fold(string? address) => string.Create(address?.Length ?? 0, address ?? string.Empty, static (span, text) =>
    {
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
        }
    });

    /// <summary>The canonical User an account presents: the client's representation, overlaid with the columns.</summary>
    public static JsonObject ToResource(ArchiveAccount account, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(account);
        var resource = ParseStoredMap(account, static json => JsonNode.Parse(json) as JsonObject) ?? [];

        resource["id"] = account.VaultEntryId;
        Set(resource, "externalId", account.ExternalId);
        Set(resource, "userName", account.UserName);
        var name = resource["name"] as JsonObject ?? [];
        Set(name, "givenName", account.FirstName);
        Set(name, "familyName", account.LastName);
        resource["name"] = name.Count == 0 ? null : name;
        Set(resource, "displayName", account.DisplayName);
        resource["active"] = account.Status == AccountStatus.Enabled;
        OverlayPrimaryEmail(resource, account.PrimarySmtpAddress);
        OverlayAliases(resource, account);
        RemoveNulls(resource);

        resource["schemas"] = SchemaList(resource);
        resource["meta"] = new JsonObject
        {
            ["resourceType"] = User.Name,
            ["created"] = FormatTime(account.CreatedUtc),
            ["lastModified"] = FormatTime(account.ModifiedUtc),
            ["location"] = LocationOf(account, baseUrl),
            ["version"] = ETagFor(account),
        };
        return Ordered(resource);
    }

    /// <summary>A weak entity tag: the version changes on every write (RFC 7644 §3.14).</summary>
    public static string ETagFor(ArchiveAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return string.Create(CultureInfo.InvariantCulture, $"W/\"{account.Version}\"");
    }

    /// <summary>
    /// The e-mail the primary SMTP column holds: of those typed "work" with an address the one marked
    /// primary, else the first; then a work e-mail without one (the column is empty: Entra's Remove of
    /// emails[type eq "work"].value leaves the entry); without a work e-mail the primary one, else the
    /// first (the rule both ways). An entry without an address is never chosen over one with an
    /// address, whichever is marked primary.
    /// </summary>
    private static JsonObject? SelectPrimaryEmail(JsonArray? emails)
    {
        if (emails is null)
        {
            return null;
        }

        var values = emails.OfType<JsonObject>().ToList();
        return values.FirstOrDefault(e => IsWorkEmail(e) && HasAddress(e) && IsPrimary(e))
            ?? values.FirstOrDefault(e => IsWorkEmail(e) && HasAddress(e))
            ?? values.FirstOrDefault(e => IsWorkEmail(e) && IsPrimary(e))
            ?? values.FirstOrDefault(IsWorkEmail)
            ?? values.FirstOrDefault(IsPrimary)
            ?? values.FirstOrDefault();
    }

    private static bool HasAddress(JsonObject email) =>
        email["value"] is JsonValue value && (value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length > 0);

    private static bool IsPrimary(JsonObject email) => email["primary"] is JsonValue p && p.TryGetValue<bool>(out var isPrimary) && isPrimary;

    private static bool IsWorkEmail(JsonObject email) =>
        string.Equals((email["type"] as JsonValue)?.ToString(), WorkType, StringComparison.OrdinalIgnoreCase);

    private static void OverlayPrimaryEmail(JsonObject resource, string? primarySmtpAddress)
    {
        var selected = SelectPrimaryEmail(resource["emails"] as JsonArray);
        if (selected is not null)
        {
            Set(selected, "value", primarySmtpAddress);
            return;
        }

        if (primarySmtpAddress is not null)
        {
            // A pre-existing account shows its primary address the way Entra maps it.
            resource["emails"] = new JsonArray(new JsonObject { ["value"] = primarySmtpAddress, ["type"] = WorkType, ["primary"] = true });
        }
    }

    private static void OverlayAliases(JsonObject resource, ArchiveAccount account)
    {
        var extension = Extension(resource);
        var raw = extension?[UserSchemas.EmailAliases];
        if (raw is not null && EmailAliasNormalizer.AcceptedAddresses(raw, account.PrimarySmtpAddress) is { } stored && SameAddresses(stored, account.Aliases))
        {
            return;
        }

        // The aliases changed outside SCIM, were never written through it, or are stored in a form a
        // write refuses today: show the archive's truth, which a PATCH made from this read can keep.
        if (account.Aliases.Count == 0)
        {
            extension?.Remove(UserSchemas.EmailAliases);
            if (extension is { Count: 0 })
            {
                resource.Remove(UserSchemas.VeritasSchemaId);
            }

            return;
        }

        extension ??= [];
        extension[UserSchemas.EmailAliases] = string.Join(',', account.Aliases);
        resource[UserSchemas.VeritasSchemaId] = extension;
    }

    private static bool SameAddresses(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        left.Count == right.Count && left.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(right);

    /// <summary>What the user map keeps: everything the client wrote but what is never stored (written as it is, not copied first).</summary>
    private static string RetainedJson(JsonObject resource)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, ScimJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in resource)
            {
                if (Array.IndexOf(NeverRetained, name) >= 0)
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonObject? Extension(JsonObject resource) => resource[UserSchemas.VeritasSchemaId] as JsonObject;

    private static JsonArray SchemaList(JsonObject resource) =>
        new([.. User.AllSchemas.Where(s => ReferenceEquals(s, User.Core) || resource.ContainsKey(s.Id)).Select(s => (JsonNode)JsonValue.Create(s.Id))]);

    /// <summary>schemas and id first, meta last: the order people expect to read (moved in place, not copied).</summary>
    private static JsonObject Ordered(JsonObject resource)
    {
        MoveTo(resource, "schemas", 0);
        MoveTo(resource, "id", 1);
        MoveTo(resource, "meta", resource.Count - 1);
        return resource;
    }

    private static void MoveTo(JsonObject resource, string key, int index)
    {
        var current = resource.IndexOf(key);
        if (current < 0 || current == index)
        {
            return;
        }

        var value = resource[current];
        resource.RemoveAt(current);
        resource.Insert(index, key, value);
    }

    private static void RemoveNulls(JsonObject resource)
    {
        foreach (var key in resource.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            resource.Remove(key);
        }
    }

    private static void Set(JsonObject target, string name, string? value)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value;
        }
    }

    private static string? ReadString(JsonNode? node, string attribute) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw ScimException.InvalidValue($"The value of '{attribute}' must be a string."),
    };

    private static string? Limit(string? value, int maxLength, string attribute) =>
        value is not null && value.Length > maxLength
            ? throw ScimException.InvalidValue($"The value of '{attribute}' is longer than {maxLength} characters.")
            : value;

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
