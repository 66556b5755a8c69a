using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Aliases;

namespace Veritas.Scim.Translation.Tests.Aliases;

public sealed class EmailAliasNormalizerPropertyTests
{
    private static readonly Gen<string> Label = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 1, 8];

    private static readonly Gen<string> Address =
        Gen.Select(Label, Label, Label, (local, domain, tld) => $"{local}@{domain}.{tld}");

    /// <summary>An entry as a client might send it: an address with or without an smtp prefix, or another proxy type.</summary>
    private static readonly Gen<string> Entry = Gen.OneOf(
        Address,
        Address.Select(a => "smtp:" + a),
        Address.Select(a => "SMTP:" + a),
        Address.Select(a => "SmTp:" + a),
        Label.Select(l => "x500:/o=Org/ou=Exchange Administrative Group/cn=" + l),
        Address.Select(a => "sip:" + a));

    private static readonly Gen<string> Separator = Gen.OneOfConst(",", ";", " ", ", ", " ;\t", "\n");

    private static readonly Gen<JsonNode> Raw = Gen.OneOf(
        Gen.Select(Entry.Array[0, 12], Separator, (entries, separator) => (JsonNode)JsonValue.Create(string.Join(separator, entries))),
        Entry.Array[0, 12].Select(entries => (JsonNode)new JsonArray([.. entries.Select(e => (JsonNode)JsonValue.Create(e))])),
        Entry.Array[0, 12].Select(entries => (JsonNode)new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject { ["value"] = e })])));

    private static readonly Gen<(JsonNode Raw, string Primary)> Case =
        Gen.Select(Raw, Gen.OneOf(Address, Entry.Where(e => e.StartsWith("smtp:", StringComparison.Ordinal)).Select(e => e[5..])), (raw, primary) => (raw, primary));

    [Fact]
    public void Normalising_is_idempotent_on_its_output() =>
        Case.Sample(c =>
        {
            var once = EmailAliasNormalizer.Normalize(c.Raw, c.Primary);
            var again = EmailAliasNormalizer.Normalize(JsonValue.Create(string.Join(",", once.Addresses)), c.Primary);
            var asArray = EmailAliasNormalizer.Normalize(new JsonArray([.. once.Addresses.Select(a => (JsonNode)JsonValue.Create(a))]), c.Primary);
            return once.Addresses.SequenceEqual(again.Addresses) && once.Addresses.SequenceEqual(asArray.Addresses) && again.Dropped.Count == 0;
        });

    [Fact]
    public void Output_never_holds_the_primary_a_prefix_or_a_duplicate() =>
        Case.Sample(c =>
        {
            var before = c.Raw?.ToJsonString();
            var set = EmailAliasNormalizer.Normalize(c.Raw, c.Primary);
            return set.Addresses.All(a => !string.Equals(a, c.Primary, StringComparison.OrdinalIgnoreCase))
                && set.Addresses.All(a => !a.Contains(':', StringComparison.Ordinal))
                && set.Addresses.Distinct(StringComparer.OrdinalIgnoreCase).Count() == set.Addresses.Count
                && c.Raw?.ToJsonString() == before;
        });

    [Fact]
    public void Every_smtp_address_sent_is_kept_unless_it_is_the_primary() =>
        Case.Sample(c =>
        {
            var set = EmailAliasNormalizer.Normalize(c.Raw, c.Primary);
            var sent = Texts(c.Raw)
                .SelectMany(t => t.Split([',', ';', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
                .Where(e => e.Contains('@', StringComparison.Ordinal) && !e.StartsWith("sip:", StringComparison.Ordinal))
                .Select(e => e.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? e[5..] : e)
                .Where(a => !string.Equals(a, c.Primary, StringComparison.OrdinalIgnoreCase));
            return sent.All(a => set.Addresses.Contains(a, StringComparer.OrdinalIgnoreCase));
        });

    [Fact]
    public void Random_text_raises_nothing_but_a_scim_exception() =>
        Gen.OneOf(Gen.String, Gen.String[Gen.Char["ab@.:,; -_xsmtpSMTP5"], 0, 40]).Sample(text =>
        {
            try
            {
                EmailAliasNormalizer.Normalize(JsonValue.Create(text), "a@b.com");
                EmailAliasNormalizer.Normalize(new JsonArray(text, new JsonObject { ["value"] = text }), null);
            }
            catch (ScimException error) when (error.Status == 400 && error.ScimType == ScimErrorType.InvalidValue)
            {
            }
        });

    /// <summary>
    /// The read side's <see cref="EmailAliasNormalizer.AcceptedAddresses(JsonNode?, string?)"/> is
    /// the write side's grammar: over valid cases and random text, in every shape and as the stored
    /// JSON element, it names exactly the addresses <see cref="EmailAliasNormalizer.Normalize"/>
    /// keeps where that accepts the value, and null (never an exception) where that refuses it.
    /// </summary>
    [Fact]
    public void The_read_side_accepts_exactly_what_a_write_accepts_and_names_the_same_addresses()
    {
        var unlimited = new EmailAliasOptions { MaxCount = int.MaxValue };
        var randomText = Gen.OneOf(Gen.String, Gen.String[Gen.Char["ab@.:,; -_xsmtpSMTP5"], 0, 40]);
        var anyCase = Gen.OneOf(
            Case.Select(c => ((JsonNode?)c.Raw, (string?)c.Primary)),
            Gen.Select(randomText, randomText, (text, primary) => ((JsonNode?)JsonValue.Create(text), (string?)primary)),
            randomText.Select(text => ((JsonNode?)new JsonArray(text, new JsonObject { ["value"] = text }, 7), (string?)null)),
            Gen.OneOfConst<JsonNode?>(null, JsonValue.Create(5), JsonValue.Create(true), new JsonObject { ["type"] = "smtp" }, new JsonObject { ["Value"] = "a@b.com" }).Select(raw => (raw, (string?)"a@b.com")));
        anyCase.Sample(c =>
        {
            IReadOnlyList<string>? written;
            try
            {
                written = EmailAliasNormalizer.Normalize(c.Item1, c.Item2, unlimited).Addresses;
            }
            catch (ScimException)
            {
                written = null;
            }

            using var stored = System.Text.Json.JsonDocument.Parse(c.Item1?.ToJsonString() ?? "null");
            foreach (var read in (IReadOnlyList<string>?[])[EmailAliasNormalizer.AcceptedAddresses(c.Item1, c.Item2), EmailAliasNormalizer.AcceptedAddresses(stored.RootElement, c.Item2)])
            {
                Assert.Equal(written is null, read is null);
                Assert.Equal(written ?? [], read ?? []);
            }
        });
    }

    private static IEnumerable<string> Texts(JsonNode raw) => raw switch
    {
        JsonArray array => array.Select(e => e is JsonObject o ? (string)o["value"]! : (string)e!),
        _ => [(string)raw!],
    };
}
