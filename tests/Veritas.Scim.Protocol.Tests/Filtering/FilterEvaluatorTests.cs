using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Filtering;

public sealed class FilterEvaluatorTests
{
    private static readonly JsonObject Barbara = (JsonObject)JsonNode.Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "bjensen-ext",
          "userName": "bjensen",
          "name": { "familyName": "Jensen", "givenName": "Barbara" },
          "displayName": "Babs Jensen",
          "title": "Tour Guide",
          "userType": "Employee",
          "active": true,
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
          ],
          "ims": [ { "value": "someaimhandle", "type": "aim" } ],
          "meta": { "resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z" },
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "manager": { "value": "26118915-6090-4610-87e4-49d8ca9f808d" }
          },
          "urn:ietf:params:scim:schemas:extension:veritas:2.0:User": { "emailAliases": "smtp:babs@example.com,SMTP:bjensen@example.com" },
          "customThing": "ABC",
          "loginCount": 42
        }
        """)!;

    private static readonly JsonObject Omalley = (JsonObject)JsonNode.Parse("""
        {
          "id": "c3a26dd3-27a0-4dec-a2ac-ce211e105f97",
          "userName": "JOmalley",
          "name": { "familyName": "O'Malley", "givenName": "Jo" },
          "userType": "Intern",
          "title": null,
          "active": false,
          "emails": [ { "value": "jo@example.org", "type": "work" } ],
          "ims": [ { "value": "jo@foo.com", "type": "xmpp" } ],
          "meta": { "resourceType": "User", "lastModified": "2010-01-01T00:00:00Z" }
        }
        """)!;

    private static ScimResourceSchema Schema => UserSchemas.Resource;

    public static TheoryData<string, bool, bool> Cases => new()
    {
        // Entra's queries.
        { "userName eq \"bjensen\"", true, false },
        { "userName eq \"BJensen\"", true, false },
        { "userName eq bjensen", true, false },
        { "userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\"", false, false },
        { "userName eq 5e1f3c4a-0d2b-4c3e-9f6a-1b2c3d4e5f60", false, false },
        { "externalId eq \"bjensen-ext\"", true, false },
        { "externalId eq bjensen-ext", true, false },
        { "externalId eq \"BJENSEN-EXT\"", false, false },
        { "id eq \"2819c223-7f76-453a-919d-413861904646\"", true, false },
        { "id eq \"2819C223-7F76-453A-919D-413861904646\"", false, false },
        { "emails[type eq \"work\"].value eq \"bjensen@example.com\"", true, false },
        { "emails[type eq \"work\"].value eq \"BJensen@Example.com\"", true, false },
        { "emails[type eq \"home\"].value eq \"bjensen@example.com\"", false, false },
        { "emails[type eq \"work\"].value eq jo@example.org", false, true },
        { "userName eq \"bjensen\" and externalId eq \"bjensen-ext\"", true, false },
        { "userName eq \"bjensen\" and externalId eq \"other\"", false, false },
        { "userName EQ \"jomalley\"", false, true },
        { "displayName co \"jens\"", true, false },

        // RFC 7644 §3.4.2.2.
        { "title pr", true, false },
        { "title pr and userType eq \"Employee\"", true, false },
        { "title pr or userType eq \"Intern\"", true, true },
        { "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")", true, false },
        { "userType eq \"Intern\" and (emails co \"example.com\" or emails.value co \"example.org\")", false, true },
        { "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")", false, false },
        { "userType ne \"Employee\" and not (emails co \"example.com\")", false, true },
        { "userType eq \"Employee\" and (emails.type eq \"work\")", true, false },
        { "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]", true, false },
        { "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]", true, true },
        { "emails[type eq \"home\" and value co \"@example.com\"]", false, false },
        { "meta.lastModified gt \"2011-05-13T04:42:34Z\"", false, false },
        { "meta.lastModified ge \"2011-05-13T04:42:34Z\"", true, false },
        { "meta.lastModified lt \"2011-05-13T04:42:34Z\"", false, true },
        { "meta.lastModified le \"2011-05-13T04:42:34Z\"", true, true },
        { "meta.lastModified eq \"2011-05-13T06:42:34+02:00\"", true, false },
        { "name.familyName co \"O'Malley\"", false, true },
        { "userName sw \"J\"", false, true },
        { "userName sw \"j\"", false, true },
        { "userName ew \"SEN\"", true, false },
        { "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co \"O'Malley\"", false, true },
        { "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"", false, true },
        { "meta.resourceType eq \"User\"", true, true },
        { "meta.resourceType eq \"user\"", false, false },

        // Multi-valued, ne, null, booleans, extensions, unknown attributes.
        { "emails eq \"babs@jensen.org\"", true, false },
        { "emails ne \"babs@jensen.org\"", false, true },
        { "emails[primary eq true]", true, false },
        { "emails[not (type eq \"work\")]", true, false },
        { "nickName ne \"x\"", true, true },
        { "nickName eq \"x\"", false, false },
        { "title eq null", false, true },
        { "title ne null", true, false },
        { "nickName pr", false, false },
        { "emails pr", true, true },
        { "active eq true", true, false },
        { "active eq false", false, true },
        { "active ne true", false, true },
        { "active eq \"true\"", true, false },
        { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"", true, false },
        { "employeeNumber eq \"701984\"", true, false },
        { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true, false },
        { "urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases co \"babs@example.com\"", true, false },
        { "customThing eq \"abc\"", true, false },
        { "loginCount gt 40", true, false },
        { "loginCount eq 42.0", true, false },
        { "loginCount le 4.2e1", true, false },
        { "userName gt \"a\"", true, true },
        { "userName lt \"c\"", true, false },
        { "NAME.FAMILYNAME eq \"jensen\"", true, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates_filters_against_users(string filter, bool matchesBarbara, bool matchesOmalley)
    {
        var parsed = FilterParser.Parse(filter);
        Assert.Equal(matchesBarbara, FilterEvaluator.Matches(parsed, Barbara, Schema));
        Assert.Equal(matchesOmalley, FilterEvaluator.Matches(parsed, Omalley, Schema));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_printed_filter_evaluates_the_same(string filter, bool matchesBarbara, bool matchesOmalley)
    {
        var reparsed = FilterParser.Parse(FilterPrinter.Print(FilterParser.Parse(filter)));
        Assert.Equal(matchesBarbara, FilterEvaluator.Matches(reparsed, Barbara, Schema));
        Assert.Equal(matchesOmalley, FilterEvaluator.Matches(reparsed, Omalley, Schema));
    }

    [Theory]
    [InlineData("active gt true")]
    [InlineData("active le false")]
    [InlineData("active co \"t\"")]
    [InlineData("emails[primary gt false]")]
    [InlineData("title gt null")]
    [InlineData("x509Certificates.value gt \"a\"")]
    public void Undefined_comparisons_are_invalidFilter(string filter)
    {
        var error = Assert.Throws<ScimException>(() => FilterEvaluator.Matches(FilterParser.Parse(filter), Barbara, Schema));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
    }

    [Fact]
    public void Looks_up_non_canonical_names_in_any_case()
    {
        var user = (JsonObject)JsonNode.Parse("""
            { "USERNAME": "bjensen", "Emails": [ { "Value": "b@x.com", "Type": "work", "Primary": true } ],
              "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": { "EmployeeNumber": "7" } }
            """)!;
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("userName eq \"BJENSEN\""), user, Schema));
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("emails[type eq \"work\" and primary eq true].value eq \"b@x.com\""), user, Schema));
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq 7"), user, Schema));
    }

    [Fact]
    public void An_unquoted_number_compares_as_its_text_with_a_string_attribute()
    {
        var user = new JsonObject { ["externalId"] = "12345", ["userName"] = "007" };
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("externalId eq 12345"), user, Schema));
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("userName eq 007"), user, Schema));
        Assert.False(FilterEvaluator.Matches(FilterParser.Parse("externalId eq 12345.0"), user, Schema));
    }

    [Fact]
    public void A_value_path_with_a_trailing_present_sub_attribute_needs_one_value_with_both()
    {
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("emails[type eq \"work\"].value pr"), Barbara, Schema));
        Assert.False(FilterEvaluator.Matches(FilterParser.Parse("emails[type eq \"home\"].primary pr"), Barbara, Schema));
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"home\"]"), Barbara, Schema));
    }

    [Fact]
    public void Tolerates_booleans_written_as_strings()
    {
        var user = new JsonObject { ["active"] = "False" };
        Assert.True(FilterEvaluator.Matches(FilterParser.Parse("active eq false"), user, Schema));
    }

    [Fact]
    public void Evaluates_a_long_chain_without_recursion()
    {
        var text = string.Join(" and ", Enumerable.Range(0, 50_000).Select(_ => "userName eq \"bjensen\""));
        var filter = FilterParser.Parse(text, new FilterParserOptions { MaxLength = int.MaxValue });
        Assert.True(FilterEvaluator.Matches(filter, Barbara, Schema));
        Assert.False(FilterEvaluator.Matches(filter, Omalley, Schema));
    }

    [Fact]
    public void MatchesValue_selects_elements_of_a_multi_valued_attribute()
    {
        var emails = Schema.Core.FindAttribute("emails");
        var workFilter = FilterParser.Parse("type eq \"WORK\" and primary eq true");
        var work = JsonNode.Parse("""{ "value": "b@x.com", "type": "work", "primary": true }""");
        var home = JsonNode.Parse("""{ "value": "b@y.com", "type": "home" }""");
        Assert.True(FilterEvaluator.MatchesValue(workFilter, work, emails));
        Assert.False(FilterEvaluator.MatchesValue(workFilter, home, emails));
        Assert.False(FilterEvaluator.MatchesValue(workFilter, null, emails));
    }

    [Fact]
    public void MatchesValue_treats_a_plain_value_as_its_own_value_sub_attribute()
    {
        var filter = FilterParser.Parse("value eq \"A@x.com\"");
        Assert.True(FilterEvaluator.MatchesValue(filter, JsonValue.Create("a@x.com"), null));
        Assert.False(FilterEvaluator.MatchesValue(filter, JsonValue.Create("b@x.com"), null));
    }

    [Theory]
    [InlineData("active eq \"yes\"")]
    [InlineData("active eq 1")]
    [InlineData("active ne \"maybe\"")]
    [InlineData("meta.lastModified lt \"T\"")]
    [InlineData("meta.lastModified gt true")]
    [InlineData("meta.created eq 2026")]
    [InlineData("userName gt true")]
    [InlineData("displayName eq false")]
    [InlineData("emails[primary eq \"maybe\"]")]
    [InlineData("emails[type eq true]")]
    [InlineData("nickName pr or active eq \"yes\"")]
    [InlineData("userName eq \"nobody\" and meta.created ge \"soon\"")]
    public void Ill_typed_values_are_invalidFilter_whatever_the_resource_holds(string filter)
    {
        var parsed = FilterParser.Parse(filter);

        var error = Assert.Throws<ScimException>(() => FilterEvaluator.Validate(parsed, Schema));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
    }

    [Theory]
    [InlineData("active eq \"True\"")]
    [InlineData("active eq false")]
    [InlineData("meta.created gt \"2026-01-31T08:00:00+02:00\"")]
    [InlineData("meta.created co \"2026\"")]
    [InlineData("userName eq 42")]
    [InlineData("externalId eq jyoung")]
    [InlineData("unknownThing eq true")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq 7")]
    public void Well_typed_values_and_Entra_leniencies_pass_validation(string filter) =>
        FilterEvaluator.Validate(FilterParser.Parse(filter), Schema);

    [Theory]
    [InlineData("displayName lt \"babs\"", false)]
    [InlineData("displayName gt \"Ba_\"", true)]
    [InlineData("displayName lt \"BA_\"", false)]
    [InlineData("externalId gt \"BJENSEN-EXT\"", true)]
    public void Case_insensitive_order_folds_to_lower_case_and_caseExact_order_is_ordinal(string filter, bool matchesBarbara) =>
        Assert.Equal(matchesBarbara, FilterEvaluator.Matches(FilterParser.Parse(filter), Barbara, Schema));

    /// <summary>
    /// The stores push ASCII values down as a superset (NOCASE and LIKE fold ASCII only): that is
    /// sound only if no other character folds to an ASCII letter under the evaluator's comparison.
    /// </summary>
    [Fact]
    public void No_character_outside_ASCII_equals_an_ASCII_letter_ignoring_case()
    {
        for (var c = (char)128; c < char.MaxValue; c++)
        {
            if (char.IsSurrogate(c))
            {
                continue;
            }

            for (var letter = 'a'; letter <= 'z'; letter++)
            {
                Assert.False(string.Equals(c.ToString(), letter.ToString(), StringComparison.OrdinalIgnoreCase), $"U+{(int)c:X4} equals '{letter}' ignoring case.");
            }
        }
    }
}
