using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;

namespace Veritas.Scim.Protocol.Tests.Filtering;

public sealed class PatchPathParserTests
{
    public static TheoryData<string, PatchPath> Paths => new()
    {
        { "userName", new PatchPath(new AttributePath(null, "userName")) },
        { "name.givenName", new PatchPath(new AttributePath(null, "name", "givenName")) },
        { "active", new PatchPath(new AttributePath(null, "active")) },
        {
            "emails[type eq \"work\"].value",
            new PatchPath(new AttributePath(null, "emails"), new ComparisonFilter(new AttributePath(null, "type"), ComparisonOperator.Equal, FilterLiteral.FromString("work")), "value")
        },
        {
            "emails[type eq \"work\"]",
            new PatchPath(new AttributePath(null, "emails"), new ComparisonFilter(new AttributePath(null, "type"), ComparisonOperator.Equal, FilterLiteral.FromString("work")))
        },
        {
            "addresses[type eq \"work\" and primary eq true].streetAddress",
            new PatchPath(
                new AttributePath(null, "addresses"),
                new AndFilter(
                    new ComparisonFilter(new AttributePath(null, "type"), ComparisonOperator.Equal, FilterLiteral.FromString("work")),
                    new ComparisonFilter(new AttributePath(null, "primary"), ComparisonOperator.Equal, FilterLiteral.FromBoolean(true))),
                "streetAddress")
        },
        {
            "urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases",
            new PatchPath(new AttributePath("urn:ietf:params:scim:schemas:extension:veritas:2.0:User", "emailAliases"))
        },
        {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            new PatchPath(new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager"))
        },
        {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            new PatchPath(new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"))
        },
        {
            "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]",
            new PatchPath(new AttributePath(null, "members"), new ComparisonFilter(new AttributePath(null, "value"), ComparisonOperator.Equal, FilterLiteral.FromString("2819c223-7f76-453a-919d-413861904646")))
        },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Parses_PATCH_paths(string text, PatchPath expected) => Assert.Equal(expected, FilterParser.ParsePatchPath(text));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Prints_PATCH_paths_back(string text, PatchPath expected)
    {
        var printed = FilterPrinter.Print(expected);
        Assert.Equal(expected, FilterParser.ParsePatchPath(printed));
        Assert.Equal(text, printed);
    }

    [Fact]
    public void A_path_that_is_only_a_schema_URN_splits_at_its_last_colon()
    {
        // The grammar cannot tell a bare URN from URN:attribute; the PATCH interpreter recognises
        // SchemaUrn + ":" + Name as a schema of the resource.
        var path = FilterParser.ParsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        Assert.Equal(new PatchPath(new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0", "User")), path);
    }

    [Fact]
    public void Surrounding_whitespace_is_ignored() =>
        Assert.Equal(new PatchPath(new AttributePath(null, "userName")), FilterParser.ParsePatchPath("  userName "));

    [Theory]
    [InlineData("")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails[type eq \"work\"].")]
    [InlineData("emails[type eq \"work\"] x")]
    [InlineData("name.givenName.x")]
    [InlineData("userName eq \"x\"")]
    [InlineData("emails[]")]
    [InlineData("name.givenName[value pr]")]
    public void Rejects_malformed_paths_with_invalidPath(string text)
    {
        var error = Assert.Throws<ScimException>(() => FilterParser.ParsePatchPath(text));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidPath, error.ScimType);
        Assert.Contains("Invalid path at position ", error.Message, StringComparison.Ordinal);
    }
}
