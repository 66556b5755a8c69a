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
