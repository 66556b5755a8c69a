using System.Globalization;
using System.Text.Json;
using CsCheck;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// Generated archive accounts: columns null or set (with characters that need escaping), any
/// status and aliases, and user maps holding every member the mapper overlays present, absent,
/// null or of the wrong JSON type, in any order, among attributes kept as written.
/// </summary>
internal static class AccountGen
{
    private static readonly Gen<string?> Text = Gen.OneOfConst<string?>(null, "Barbara", "O'Malley & Sons", "Ünïcødé \"quoted\"", "", "<b>");

    private static readonly Gen<string?> Address = Gen.OneOfConst<string?>(null, "bjensen@example.com", "babs@example.com", "BJensen@Example.com");

    private static readonly Gen<string> AnyValue = Gen.OneOfConst(
        "null", "\"text\"", "42", "true", "false", "[]", "{}", "[null]", "{\"a\":null}", "\"\\u00e9\\n\"", "[\"x\",1]");

    private static readonly Gen<string> Email = Gen.Select(
        Gen.OneOfConst<string?>(null, "\"work\"", "\"WORK\"", "\"home\"", "5", "null"),
        Gen.OneOfConst<string?>(null, "true", "false", "\"true\""),
        Gen.OneOfConst<string?>(null, "\"x@example.com\"", "null", "3"),
        Gen.OneOfConst<string?>(null, "\"Work address\""),
        (type, primary, value, display) => "{" + string.Join(",", Members(("value", value), ("type", type), ("primary", primary), ("display", display))) + "}");

    private static readonly Gen<string> Emails = Gen.Frequency(
        (4, Gen.OneOf(Email, Gen.OneOfConst("null", "\"x\"", "7")).Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
        (1, AnyValue));

    private static readonly Gen<string> Name = Gen.Frequency(
        (4, Gen.Select(
            Gen.OneOfConst<string?>(null, "\"Old\"", "null", "1"),
            Gen.OneOfConst<string?>(null, "\"Older\"", "null"),
            Gen.OneOfConst<string?>(null, "\"Ms\"", "null"),
            Gen.Bool,
            (given, family, prefix, familyFirst) => "{" + string.Join(",", familyFirst
                ? Members(("familyName", family), ("honorificPrefix", prefix), ("givenName", given))
                : Members(("givenName", given), ("honorificPrefix", prefix), ("familyName", family))) + "}")),
        (1, AnyValue));

    private static readonly Gen<string> Extension = Gen.Frequency(
        (4, Gen.Select(
            // Forms a write accepts, and forms it would refuse today (a bad entry, another shape): a read shows both.
            Gen.OneOfConst<string?>(
                null, "\"SMTP:bjensen@example.com,smtp:babs@example.com\"", "\"smtp:babs@example.com\"", "\"\"", "null", "[\"babs@example.com\"]", "\"smtp:other@example.com\"",
                "\"smtp:bad@,babs@example.com\"", "\"x500:/o=x/cn=b babs@example.com\"", "5", "true", "{\"value\":\"babs@example.com\"}", "{\"type\":\"smtp\"}", "[{\"value\":\"babs@example.com\"},3]"),
            Gen.OneOfConst<string?>(null, "\"kept\"", "null"),
            (aliases, other) => "{" + string.Join(",", Members(("emailAliases", aliases), ("costCenter", other))) + "}")),
        (1, AnyValue));

    /// <summary>Top-level members: the overlaid ones, server-owned ones a map should never hold, and attributes kept as written.</summary>
    private static readonly Gen<(string Name, string Value)> Member = Gen.OneOf(
        AnyValue.Select(v => ("userName", v)),
        AnyValue.Select(v => ("UserName", v)),
        AnyValue.Select(v => ("ACTIVE", v)),
        AnyValue.Select(v => ("externalId", v)),
        AnyValue.Select(v => ("displayName", v)),
        AnyValue.Select(v => ("active", v)),
        AnyValue.Select(v => ("id", v)),
        AnyValue.Select(v => ("meta", v)),
        AnyValue.Select(v => ("schemas", v)),
        AnyValue.Select(v => ("title", v)),
        AnyValue.Select(v => ("nickName", v)),
        AnyValue.Select(v => ("password", v)),
        AnyValue.Select(v => ("phoneNumbers", v)),
        AnyValue.Select(v => ("urn:example:unknown", v)),
        AnyValue.Select(v => ("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:VERITAS:2.0:USER", v)),
        Name.Select(v => ("name", v)),
        Emails.Select(v => ("emails", v)),
        Extension.Select(v => (UserSchemas.VeritasSchemaId, v)),
        Gen.OneOf(AnyValue, Gen.OneOfConst("{\"employeeNumber\":\"7\",\"manager\":{\"value\":\"m\"}}", "{\"department\":null}")).Select(v => ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", v)));

    private static readonly Gen<string?> StoredMap = Gen.Frequency(
        (1, Gen.OneOfConst<string?>(null, "null", "[]", "\"text\"", "{}", "{\"userName\": \"cut short", "not JSON")),
        (8, Member.Array[0, 8].Select(members => (string?)("{" + string.Join(",", members.DistinctBy(m => m.Name).Select(m => $"{JsonSerializer.Serialize(m.Name)}:{m.Value}")) + "}"))));

    public static readonly Gen<ArchiveAccount> Account = Gen.Select(
        Gen.Select(Text, Text, Text, Address, Gen.OneOfConst<string?>(null, "ext-1", "ext ✓")),
        Gen.Select(Gen.Bool, Gen.OneOfConst<string[]>([], ["babs@example.com"], ["babs@example.com", "other@example.com"], ["other@example.com"]), StoredMap, Gen.Long[1, 1_000_000]),
        Gen.Select(Gen.Long[0, 10_000_000_000_000], Gen.Int[0, 10_000_000]),
        (columns, state, times) => new ArchiveAccount(
            "01ABC/+" + state.Item4.ToString(CultureInfo.InvariantCulture),
            1,
            "bjensen@example.com",
            columns.Item4,
            columns.Item1,
            columns.Item2,
            columns.Item3,
            state.Item1 ? AccountStatus.Enabled : AccountStatus.Disabled,
            ProvisioningSource.Scim,
            columns.Item5,
            state.Item2,
            state.Item3,
            state.Item3 is not null,
            state.Item4,
            new DateTimeOffset(times.Item1 * TimeSpan.TicksPerMillisecond / 10, TimeSpan.Zero).AddTicks(times.Item2),
            new DateTimeOffset(times.Item1 * TimeSpan.TicksPerMillisecond / 10, TimeSpan.Zero).AddTicks(times.Item2 * 3)));

    private static IEnumerable<string> Members(params (string Name, string? Value)[] members) =>
        members.Where(m => m.Value is not null).Select(m => $"\"{m.Name}\":{m.Value}");
}
