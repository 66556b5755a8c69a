using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;

namespace Veritas.Scim.Protocol.Tests.Filtering;

public sealed class FilterParserTests
{
    private const string CoreUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static AttributePath P(string name, string? sub = null) => new(null, name, sub);

    private static ComparisonFilter Eq(string name, string value) => new(P(name), ComparisonOperator.Equal, FilterLiteral.FromString(value));

    public static TheoryData<string, Filter> EntraFilters => new()
    {
        { "userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\"", Eq("userName", "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081") },
        { "externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"", Eq("externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef") },
        { "externalId eq jyoung", Eq("externalId", "jyoung") },
        { "userName eq 5e1f3c4a-0d2b-4c3e-9f6a-1b2c3d4e5f60", Eq("userName", "5e1f3c4a-0d2b-4c3e-9f6a-1b2c3d4e5f60") },
        { "userName eq someone@contoso.com", Eq("userName", "someone@contoso.com") },
        { "id eq \"2819c223-7f76-453a-919d-413861904646\"", Eq("id", "2819c223-7f76-453a-919d-413861904646") },
        { "userName EQ \"x\"", Eq("userName", "x") },
        { "userName Eq \"x\"", Eq("userName", "x") },
        { "displayName co \"x\"", new ComparisonFilter(P("displayName"), ComparisonOperator.Contains, FilterLiteral.FromString("x")) },
        { "userName eq \"a\" and externalId eq \"b\"", new AndFilter(Eq("userName", "a"), Eq("externalId", "b")) },
        { "userName eq \"a\" AND externalId eq \"b\"", new AndFilter(Eq("userName", "a"), Eq("externalId", "b")) },
        {
            "emails[type eq \"work\"].value eq \"x@contoso.com\"",
            new ValuePathFilter(P("emails"), new AndFilter(Eq("type", "work"), Eq("value", "x@contoso.com")))
        },
        {
            "emails[type eq work].value eq x@contoso.com",
            new ValuePathFilter(P("emails"), new AndFilter(Eq("type", "work"), Eq("value", "x@contoso.com")))
        },
    };

    public static TheoryData<string, Filter> RfcFilters => new()
    {
        { "userName Eq \"john\"", Eq("userName", "john") },
        { "userName eq \"bjensen\"", Eq("userName", "bjensen") },
        { "name.familyName co \"O'Malley\"", new ComparisonFilter(P("name", "familyName"), ComparisonOperator.Contains, FilterLiteral.FromString("O'Malley")) },
        { "userName sw \"J\"", new ComparisonFilter(P("userName"), ComparisonOperator.StartsWith, FilterLiteral.FromString("J")) },
        {
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            new ComparisonFilter(new AttributePath(CoreUrn, "userName"), ComparisonOperator.StartsWith, FilterLiteral.FromString("J"))
        },
        {
            "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co \"O'Malley\"",
            new ComparisonFilter(new AttributePath(CoreUrn, "name", "familyName"), ComparisonOperator.Contains, FilterLiteral.FromString("O'Malley"))
        },
        { "title pr", new PresentFilter(P("title")) },
        { "meta.lastModified gt \"2011-05-13T04:42:34Z\"", new ComparisonFilter(P("meta", "lastModified"), ComparisonOperator.GreaterThan, FilterLiteral.FromString("2011-05-13T04:42:34Z")) },
        { "meta.lastModified ge \"2011-05-13T04:42:34Z\"", new ComparisonFilter(P("meta", "lastModified"), ComparisonOperator.GreaterThanOrEqual, FilterLiteral.FromString("2011-05-13T04:42:34Z")) },
        { "meta.lastModified lt \"2011-05-13T04:42:34Z\"", new ComparisonFilter(P("meta", "lastModified"), ComparisonOperator.LessThan, FilterLiteral.FromString("2011-05-13T04:42:34Z")) },
        { "meta.lastModified le \"2011-05-13T04:42:34Z\"", new ComparisonFilter(P("meta", "lastModified"), ComparisonOperator.LessThanOrEqual, FilterLiteral.FromString("2011-05-13T04:42:34Z")) },
        { "title pr and userType eq \"Employee\"", new AndFilter(new PresentFilter(P("title")), Eq("userType", "Employee")) },
        { "title pr or userType eq \"Intern\"", new OrFilter(new PresentFilter(P("title")), Eq("userType", "Intern")) },
        { "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", Eq("schemas", EnterpriseUrn) },
        {
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            new AndFilter(
                Eq("userType", "Employee"),
                new OrFilter(
                    new ComparisonFilter(P("emails"), ComparisonOperator.Contains, FilterLiteral.FromString("example.com")),
                    new ComparisonFilter(P("emails", "value"), ComparisonOperator.Contains, FilterLiteral.FromString("example.org"))))
        },
        {
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            new AndFilter(
                new ComparisonFilter(P("userType"), ComparisonOperator.NotEqual, FilterLiteral.FromString("Employee")),
                new NotFilter(new OrFilter(
                    new ComparisonFilter(P("emails"), ComparisonOperator.Contains, FilterLiteral.FromString("example.com")),
                    new ComparisonFilter(P("emails", "value"), ComparisonOperator.Contains, FilterLiteral.FromString("example.org")))))
        },
        {
            "userType eq \"Employee\" and (emails.type eq \"work\")",
            new AndFilter(Eq("userType", "Employee"), Eq("emails", "work") with { Path = P("emails", "type") })
        },
        {
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            new AndFilter(
                Eq("userType", "Employee"),
                new ValuePathFilter(P("emails"), new AndFilter(Eq("type", "work"), new ComparisonFilter(P("value"), ComparisonOperator.Contains, FilterLiteral.FromString("@example.com")))))
        },
        {
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            new OrFilter(
                new ValuePathFilter(P("emails"), new AndFilter(Eq("type", "work"), new ComparisonFilter(P("value"), ComparisonOperator.Contains, FilterLiteral.FromString("@example.com")))),
                new ValuePathFilter(P("ims"), new AndFilter(Eq("type", "xmpp"), new ComparisonFilter(P("value"), ComparisonOperator.Contains, FilterLiteral.FromString("@foo.com")))))
        },
        { "meta.resourceType eq \"User\"", Eq("meta", "User") with { Path = P("meta", "resourceType") } },
        {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\"",
            new ComparisonFilter(new AttributePath(EnterpriseUrn, "manager", "value"), ComparisonOperator.Equal, FilterLiteral.FromString("26118915-6090-4610-87e4-49d8ca9f808d"))
        },
    };

    [Theory]
    [MemberData(nameof(EntraFilters))]
    public void Parses_what_Entra_sends(string text, Filter expected) => Assert.Equal(expected, FilterParser.Parse(text));

    [Theory]
    [MemberData(nameof(RfcFilters))]
    public void Parses_the_RFC_7644_examples(string text, Filter expected) => Assert.Equal(expected, FilterParser.Parse(text));

    [Fact]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or()
    {
        var filter = FilterParser.Parse("a pr or b pr and not (c pr) or d pr");
        var expected = new OrFilter(
            new OrFilter(new PresentFilter(P("a")), new AndFilter(new PresentFilter(P("b")), new NotFilter(new PresentFilter(P("c"))))),
            new PresentFilter(P("d")));
        Assert.Equal(expected, filter);
    }

    [Theory]
    [InlineData("x eq 42", FilterLiteralKind.Number, "42")]
    [InlineData("x eq -1.5e+3", FilterLiteralKind.Number, "-1.5e+3")]
    [InlineData("x eq 0.25", FilterLiteralKind.Number, "0.25")]
    [InlineData("x eq 007", FilterLiteralKind.Text, "007")]
    [InlineData("x eq \"a\\\"b\\\\c\\u00e9\\n\"", FilterLiteralKind.Text, "a\"b\\c\u00e9\n")]
    [InlineData("x eq \"\"", FilterLiteralKind.Text, "")]
    [InlineData("x eq null", FilterLiteralKind.Null, null)]
    [InlineData("x eq NULL", FilterLiteralKind.Null, null)]
    public void Reads_literals(string text, FilterLiteralKind kind, string? value)
    {
        var literal = Assert.IsType<ComparisonFilter>(FilterParser.Parse(text)).Value;
        Assert.Equal(kind, literal.Kind);
        Assert.Equal(value, literal.Value);
    }

    [Theory]
    [InlineData("active eq true", true)]
    [InlineData("active eq True", true)]
    [InlineData("active eq FALSE", false)]
    public void Reads_booleans_in_any_case(string text, bool expected) =>
        Assert.Equal(FilterLiteral.FromBoolean(expected), Assert.IsType<ComparisonFilter>(FilterParser.Parse(text)).Value);

    [Fact]
    public void Keeps_the_clients_letter_case_in_names() =>
        Assert.Equal(new PresentFilter(new AttributePath(null, "NAME", "FamilyName")), FilterParser.Parse("NAME.FamilyName PR"));

    [Fact]
    public void Keywords_may_name_attributes()
    {
        var filter = FilterParser.Parse("not eq \"x\" and and pr or or pr");
        var expected = new OrFilter(new AndFilter(Eq("not", "x"), new PresentFilter(P("and"))), new PresentFilter(P("or")));
        Assert.Equal(expected, filter);
    }

    [Fact]
    public void Splits_a_URN_with_a_dotted_version_at_its_last_colon()
    {
        var filter = Assert.IsType<PresentFilter>(FilterParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr"));
        Assert.Equal(new AttributePath(EnterpriseUrn, "employeeNumber"), filter.Path);
    }

    [Fact]
    public void A_long_and_chain_within_the_length_bound_parses()
    {
        var text = string.Join(" and ", Enumerable.Range(0, 300).Select(i => $"a{i} pr"));
        Assert.True(text.Length <= 4096);
        Assert.Equal(299, LeftSpineLength(FilterParser.Parse(text)));
    }

    [Fact]
    public void A_chain_of_100000_terms_parses_and_prints_without_recursion()
    {
        var text = string.Join(" or ", Enumerable.Range(0, 100_000).Select(i => $"a{i} eq {i}"));
        var filter = FilterParser.Parse(text, new FilterParserOptions { MaxLength = int.MaxValue });
        Assert.Equal(99_999, LeftSpineLength(filter));
        Assert.Equal(text, FilterPrinter.Print(filter));
    }

    private static int LeftSpineLength(Filter filter)
    {
        var length = 0;
        while (filter is AndFilter or OrFilter)
        {
            length++;
            filter = filter is AndFilter and ? and.Left : ((OrFilter)filter).Left;
        }

        return length;
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("(userName eq \"a\"", "')'")]
    [InlineData("userName eq \"a\")", "end of the filter")]
    [InlineData("userName eq", "a value")]
    [InlineData("userName eq )", "a value")]
    [InlineData("userName xx \"a\"", "an operator")]
    [InlineData("userName", "an operator")]
    [InlineData("userName eq \"a\" garbage", "'and', 'or'")]
    [InlineData("userName eq \"a\" and", "an attribute path")]
    [InlineData("userName eq \"abc", "closing quote")]
    [InlineData("userName eq \"a\\qb\"", "escape")]
    [InlineData("userName eq \"\\u12\"", "hexadecimal")]
    [InlineData("emails[type eq \"work\"", "']'")]
    [InlineData("emails[type[value pr] pr]", "another value filter")]
    [InlineData("name.givenName.x pr", "sub-attribute")]
    [InlineData("a:b pr", "URN")]
    [InlineData("urn::x pr", "URN")]
    [InlineData("urn:x pr", "URN")]
    [InlineData("urn:x]1.0.0:a pr", "URN")]
    [InlineData("1abc pr", "attribute name")]
    [InlineData("not (a pr", "')'")]
    [InlineData("not a pr", "an operator")]
    public void Rejects_malformed_filters_with_invalidFilter_and_a_position(string text, string expectedInMessage)
    {
        var error = Assert.Throws<ScimException>(() => FilterParser.Parse(text));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Contains("at position ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_offset_of_the_problem()
    {
        var error = Assert.Throws<ScimException>(() => FilterParser.Parse("userName zz \"a\""));
        Assert.StartsWith("Invalid filter at position 9:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("not(")]
    [InlineData("not (")]
    public void Deep_nesting_is_refused_without_crashing(string opener)
    {
        foreach (var count in new[] { 33, 10_000, 100_000 })
        {
            var text = string.Concat(Enumerable.Repeat(opener, count)) + "a pr" + new string(')', count);
            var options = new FilterParserOptions { MaxLength = int.MaxValue };
            var error = Assert.Throws<ScimException>(() => FilterParser.Parse(text, options));
            Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
            Assert.Contains("nested more than 32 levels", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nesting_up_to_the_bound_is_accepted()
    {
        var text = new string('(', 32) + "a pr" + new string(')', 32);
        Assert.Equal(new PresentFilter(P("a")), FilterParser.Parse(text));
    }

    [Fact]
    public void Text_longer_than_MaxLength_is_refused()
    {
        var text = "userName eq \"" + new string('x', 5000) + "\"";
        var error = Assert.Throws<ScimException>(() => FilterParser.Parse(text));
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Contains("at position 4096", error.Message, StringComparison.Ordinal);
        Assert.Equal(Eq("userName", new string('x', 5000)), FilterParser.Parse(text, new FilterParserOptions { MaxLength = 6000 }));
    }
}
