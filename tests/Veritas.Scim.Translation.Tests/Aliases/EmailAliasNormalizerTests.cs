using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Aliases;

namespace Veritas.Scim.Translation.Tests.Aliases;

public sealed class EmailAliasNormalizerTests
{
    private const string Primary = "jyoung@contoso.com";

    private static EmailAliasSet Normalize(string json, string? primary = Primary, EmailAliasOptions? options = null) =>
        EmailAliasNormalizer.Normalize(JsonNode.Parse(json), primary, options);

    private static ScimException Rejects(string json, EmailAliasOptions? options = null)
    {
        var error = Assert.Throws<ScimException>(() => Normalize(json, options: options));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        return error;
    }

    [Fact]
    public void Reads_entras_joined_proxy_addresses()
    {
        var set = Normalize("\"SMTP:jyoung@contoso.com,smtp:jo@contoso.com,smtp:j.young@contoso.onmicrosoft.com,x500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc-jyoung\"");
        Assert.Equal(["jo@contoso.com", "j.young@contoso.onmicrosoft.com"], set.Addresses);
        Assert.Equal(["x500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc-jyoung"], set.Dropped);
    }

    [Theory]
    [InlineData("\"a@x.com,b@x.com\"")]
    [InlineData("\"a@x.com;b@x.com\"")]
    [InlineData("\"a@x.com b@x.com\"")]
    [InlineData("\" a@x.com ,\\n\\tb@x.com ; \"")]
    [InlineData("[\"a@x.com\",\"b@x.com\"]")]
    [InlineData("[\"smtp:a@x.com\",\"SMTP:b@x.com\"]")]
    [InlineData("[{\"value\":\"a@x.com\"},{\"Value\":\"smtp:b@x.com\"}]")]
    [InlineData("[{\"VALUE\":\"a@x.com,b@x.com\"}]")]
    [InlineData("{\"value\":\"a@x.com;b@x.com\"}")]
    [InlineData("\"Smtp:a@x.com,sMTP:b@x.com\"")]
    public void Accepts_every_shape_clients_send(string json)
    {
        Assert.Equal(["a@x.com", "b@x.com"], Normalize(json).Addresses);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("\" , ; \"")]
    [InlineData("[]")]
    [InlineData("[null]")]
    public void Reads_null_and_empty_as_no_aliases(string json)
    {
        var set = Normalize(json);
        Assert.Empty(set.Addresses);
        Assert.Empty(set.Dropped);
    }

    [Fact]
    public void Null_raw_value_is_an_empty_set()
    {
        var set = EmailAliasNormalizer.Normalize(null, Primary);
        Assert.Empty(set.Addresses);
    }

    [Theory]
    [InlineData("x500:/o=Org/ou=Group/cn=a")]
    [InlineData("X400:c=US;a= ;p=Org;o=Exchange;s=Young;g=Jo;")]
    [InlineData("sip:jyoung@contoso.com")]
    [InlineData("SIP:jyoung@contoso.com")]
    [InlineData("eum:1234;phone-context=contoso.com")]
    [InlineData("SPO:SPO_abc@SPO_def")]
    public void Drops_other_proxy_types_without_error(string entry)
    {
        var set = EmailAliasNormalizer.Normalize(JsonValue.Create("smtp:a@x.com," + entry), Primary);
        Assert.Equal(["a@x.com"], set.Addresses);
        Assert.NotEmpty(set.Dropped);
        Assert.Equal([entry.TrimEnd(';')], set.Dropped);
    }

    [Fact]
    public void Keeps_x400_and_eum_entries_whole_whatever_the_separator()
    {
        var set = Normalize("\"a@x.com;X400:c=US;a= ;p=Org;o=Exchange;s=Young;g=Jo;;EUM:1234;phone-context=contoso.com;b@x.com x500:/o=Org/cn=Jo Young SMTP:c@x.com\"");
        Assert.Equal(["a@x.com", "b@x.com", "c@x.com"], set.Addresses);
        Assert.Equal(["X400:c=US;a= ;p=Org;o=Exchange;s=Young;g=Jo", "EUM:1234;phone-context=contoso.com", "x500:/o=Org/cn=Jo Young"], set.Dropped);
    }

    [Fact]
    public void De_duplicates_ignoring_case_and_keeps_the_first_spelling()
    {
        Assert.Equal(["Jo@Contoso.com", "b@x.com"], Normalize("\"smtp:Jo@Contoso.com,b@x.com,SMTP:jo@contoso.COM,B@X.COM\"").Addresses);
    }

    [Theory]
    [InlineData("jyoung@contoso.com")]
    [InlineData("JYOUNG@CONTOSO.COM")]
    [InlineData(" jyoung@contoso.com ")]
    public void Leaves_out_the_primary_address_ignoring_case(string primary)
    {
        Assert.Equal(["jo@contoso.com"], Normalize("\"SMTP:JYoung@contoso.com,smtp:jo@contoso.com\"", primary).Addresses);
    }

    [Fact]
    public void Without_a_primary_address_keeps_everything()
    {
        Assert.Equal(["jyoung@contoso.com"], Normalize("\"SMTP:jyoung@contoso.com\"", primary: null).Addresses);
    }

    [Fact]
    public void Leaves_the_raw_value_as_it_was()
    {
        var raw = JsonNode.Parse("""[{"value":"SMTP:a@x.com"},{"value":"x500:/o=Org"}]""");
        var before = raw!.ToJsonString();
        EmailAliasNormalizer.Normalize(raw, Primary);
        Assert.Equal(before, raw.ToJsonString());
    }

    [Theory]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.com")]
    [InlineData("a_b-c@my-domain.example")]
    [InlineData("ünïcödé@exämple.de")]
    [InlineData("x@a1.b2")]
    public void Accepts_practical_addresses(string address)
    {
        Assert.Equal([address], EmailAliasNormalizer.Normalize(JsonValue.Create(address), Primary).Addresses);
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a@@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("a@localhost")]
    [InlineData("a@-example.com")]
    [InlineData("a@example-.com")]
    [InlineData("a@example..com")]
    [InlineData("a@.example.com")]
    [InlineData("a@example.com.")]
    [InlineData(".a@example.com")]
    [InlineData("a.@example.com")]
    [InlineData("a..b@example.com")]
    [InlineData("a(b)@example.com")]
    [InlineData("a@exa_mple.com")]
    [InlineData("smtp:")]
    [InlineData("smtp:not-an-address")]
    [InlineData("\"a\"@example.com")]
    public void Rejects_invalid_addresses(string address)
    {
        var error = Assert.Throws<ScimException>(() => EmailAliasNormalizer.Normalize(JsonValue.Create(address), Primary));
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_length_limits_of_rfc_5321()
    {
        var local64 = new string('a', 64) + "@example.com";
        var local65 = new string('a', 65) + "@example.com";
        var label63 = "a@" + new string('b', 63) + ".com";
        var label64 = "a@" + new string('b', 64) + ".com";
        var total254 = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 61), 3)) + ".com";
        var total255 = "a" + total254;

        Assert.Equal(254, total254.Length);
        Assert.Equal([local64, label63, total254], EmailAliasNormalizer.Normalize(new JsonArray(local64, label63, total254), Primary).Addresses);
        foreach (var invalid in new[] { local65, label64, total255 })
        {
            Assert.Throws<ScimException>(() => EmailAliasNormalizer.Normalize(JsonValue.Create(invalid), Primary));
        }
    }

    [Fact]
    public void Reports_every_invalid_entry_in_one_error()
    {
        var error = Rejects("\"good@x.com,bad1,smtp:bad2@,x500:/o=fine,bad3@nodot\"");
        Assert.Contains("3 invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bad1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'smtp:bad2@'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bad3@nodot'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("good@x.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_invalid_entries_up_to_the_maximum_count()
    {
        var options = new EmailAliasOptions { MaxCount = 2 };
        var error = Rejects("\"bad1,bad2,bad3,bad4\"", options);
        Assert.Contains("4 invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bad1', 'bad2' and 2 more", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("{\"address\":\"a@x.com\"}")]
    public void Rejects_values_of_another_shape(string json) => Rejects(json);

    [Theory]
    [InlineData("[42]")]
    [InlineData("[[\"a@x.com\"]]")]
    [InlineData("[{\"address\":\"a@x.com\"}]")]
    [InlineData("[{\"value\":7}]")]
    public void Rejects_array_elements_of_another_shape_naming_them(string json)
    {
        var error = Rejects(json);
        Assert.Contains("1 invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enforces_the_maximum_count_after_de_duplication()
    {
        var options = new EmailAliasOptions { MaxCount = 3 };
        Assert.Equal(3, Normalize("\"a@x.com,b@x.com,c@x.com,A@X.COM,jyoung@contoso.com\"", options: options).Addresses.Count);
        var error = Rejects("\"a@x.com,b@x.com,c@x.com,d@x.com\"", options);
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_five_hundred_aliases_by_default_and_no_more()
    {
        var five = new JsonArray([.. Enumerable.Range(0, 500).Select(i => (JsonNode)JsonValue.Create($"u{i}@x.com"))]);
        Assert.Equal(500, EmailAliasNormalizer.Normalize(five, Primary).Addresses.Count);
        five.Add("u500@x.com");
        Assert.Throws<ScimException>(() => EmailAliasNormalizer.Normalize(five, Primary));
    }
}
