using System.Text;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Protocol.Tests.Messages;

public sealed class ScimJsonTests
{
    [Theory]
    [InlineData("application/scim+json", true)]
    [InlineData("application/scim+json; charset=utf-8", true)]
    [InlineData("application/json", true)]
    [InlineData("Application/JSON; charset=utf-8", true)]
    [InlineData(null, true)]
    [InlineData("text/plain", false)]
    [InlineData("application/xml", false)]
    public void Accepts_scim_json_and_plain_json(string? contentType, bool accepted) =>
        Assert.Equal(accepted, ScimJson.IsAcceptedContentType(contentType));

    [Theory]
    [InlineData("{ \"userName\": ")]
    [InlineData("{ userName: 'x' }")]
    [InlineData("")]
    [InlineData("{} trailing")]
    public void Malformed_JSON_is_invalidSyntax_with_where_it_breaks(string body)
    {
        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"user\"")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_invalidSyntax(string body)
    {
        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void Duplicate_properties_are_invalidSyntax()
    {
        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject("{\"userName\":\"a\",\"userName\":\"b\"}"u8));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Theory]
    [InlineData("{\"name\":{\"givenName\":\"a\",\"givenName\":\"b\"}}", "$.name.givenName")]
    [InlineData("{\"name\":{\"givenName\":\"a\",\"GIVENNAME\":\"b\"}}", "$.name.GIVENNAME")]
    [InlineData("{\"emails\":[{\"value\":\"a@x.com\"},{\"value\":\"b@x.com\",\"Value\":\"c@x.com\"}]}", "$.emails[1].Value")]
    [InlineData("{\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"a\",\"department\":\"b\"}}", "$['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department")]
    [InlineData("{\"Operations\":[{\"op\":\"add\",\"OP\":\"remove\"}]}", "$.Operations[0].OP")]
    [InlineData("{\"Operations\":[{\"op\":\"add\",\"value\":{\"displayName\":\"a\",\"displayname\":\"b\"}}]}", "$.Operations[0].value.displayname")]
    public void A_member_named_twice_in_a_nested_object_is_invalidSyntax_naming_where(string body, string path)
    {
        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
        Assert.Contains($"at {path} (line 1, byte ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"displayName\":\"\\ud800x\"}")]
    [InlineData("{\"displayName\":\"\\udc00\"}")]
    [InlineData("{\"displayName\":\"\\udc00\\ud800\"}")]
    [InlineData("{\"Operations\":[{\"op\":\"add\",\"path\":\"displayName\",\"value\":\"\\ud800\"}]}")]
    [InlineData("{\"filter\":\"userName eq \\\"\\udc00\\\"\"}")]
    [InlineData("{\"\\ud800\":1}")]
    public void An_escaped_lone_surrogate_is_invalidSyntax(string body)
    {
        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
        Assert.Contains("not valid Unicode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    public void Invalid_UTF8_inside_a_string_is_invalidSyntax(byte[] bytes)
    {
        byte[] body = [.. "{\"displayName\":\"a"u8, .. bytes, .. "\"}"u8];

        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(body));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
        Assert.Contains("at $.displayName (line 1, byte 16)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_and_non_ASCII_text_are_valid_and_kept()
    {
        var parsed = ScimJson.ParseObject("{\"displayName\":\"\\ud83d\\ude00 Zo\u00eb \u4e2d\"}"u8);

        Assert.Equal("\U0001F600 Zo\u00eb \u4e2d", (string?)parsed["displayName"]);
    }

    [Fact]
    public void Nesting_deeper_than_any_SCIM_document_is_refused_without_recursing()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

        var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(deep)));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void Values_are_written_without_needless_escapes()
    {
        var document = Json.Object("{ 'name': { 'familyName': 'O\\u0027Malley' }, 'alias': 'SMTP:a+b@x.com' }");

        Assert.Equal("{\"name\":{\"familyName\":\"O'Malley\"},\"alias\":\"SMTP:a+b@x.com\"}", ScimJson.Serialize(document));
    }
}
