using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Resources;

public sealed class ResourceCanonicalizerTests
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;
    private const string Veritas = UserSchemas.VeritasSchemaId;
    private const string Enterprise = UserSchemas.EnterpriseSchemaId;

    [Fact]
    public void Entra_create_request_from_the_provisioning_tutorial_is_canonical_already()
    {
        var body = Json.Object("""
            {
              'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
              'externalId': '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
              'userName': 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
              'active': true,
              'emails': [{ 'primary': true, 'type': 'work', 'value': 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
              'meta': { 'resourceType': 'User' },
              'name': { 'formatted': 'givenName familyName', 'familyName': 'familyName', 'givenName': 'givenName' },
              'roles': []
            }
            """);

        var canonical = ResourceCanonicalizer.CanonicalizeResource(body, User);

        Assert.Equal("Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1", (string?)canonical["userName"]);
        Assert.True((bool)canonical["active"]!);
        Assert.Equal("work", (string?)canonical["emails"]![0]!["type"]);
        Assert.Equal("givenName", (string?)canonical["name"]!["givenName"]);
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:User", Enterprise], canonical["schemas"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public void Attribute_names_and_schema_urns_are_matched_in_any_case_and_written_canonically()
    {
        var body = Json.Object("""
            {
              'SCHEMAS': ['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER'],
              'UserName': 'jdoe',
              'Emails': [{ 'Primary': true, 'TYPE': 'work', 'Value': 'jdoe@contoso.com' }],
              'NAME': { 'GivenName': 'John' },
              'urn:ietf:params:scim:schemas:extension:VERITAS:2.0:User': { 'EmailAliases': 'smtp:j@contoso.com' }
            }
            """);

        var canonical = ResourceCanonicalizer.CanonicalizeResource(body, User);

        Assert.True(Json.DeepEquals(Json.Node("""
            {
              'userName': 'jdoe',
              'emails': [{ 'primary': true, 'type': 'work', 'value': 'jdoe@contoso.com' }],
              'name': { 'givenName': 'John' },
              'urn:ietf:params:scim:schemas:extension:veritas:2.0:User': { 'emailAliases': 'smtp:j@contoso.com' },
              'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:veritas:2.0:User']
            }
            """), canonical), canonical.ToJsonString());
    }

    [Fact]
    public void Extension_object_is_accepted_when_schemas_names_only_the_core_schema_as_Entra_sends_it()
    {
        var body = Json.Object("""
            {
              'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
              'userName': 'a@contoso.com',
              'urn:ietf:params:scim:schemas:extension:veritas:2.0:User': { 'emailAliases': 'SMTP:a@contoso.com,smtp:alias@contoso.com,x500:/o=Org/cn=a' }
            }
            """);

        var canonical = ResourceCanonicalizer.CanonicalizeResource(body, User);

        Assert.Equal("SMTP:a@contoso.com,smtp:alias@contoso.com,x500:/o=Org/cn=a", (string?)canonical[Veritas]!["emailAliases"]);
        Assert.Contains(Veritas, canonical["schemas"]!.AsArray().Select(s => (string)s!));
    }

    [Theory]
    [InlineData("'True'", true)]
    [InlineData("'false'", false)]
    [InlineData("'FALSE'", false)]
    [InlineData("' true '", true)]
    [InlineData("true", true)]
    public void Booleans_may_arrive_as_strings_in_any_case(string json, bool expected)
    {
        var canonical = ResourceCanonicalizer.CanonicalizeResource(Json.Object($"{{ 'userName': 'x', 'active': {json} }}"), User);

        Assert.Equal(expected, (bool)canonical["active"]!);
    }

    [Fact]
    public void Email_aliases_keep_every_shape_exactly_as_written()
    {
        foreach (var raw in new[] { "'a@x.com; b@x.com'", "['SMTP:a@x.com', 'smtp:b@x.com']", "[{ 'value': 'a@x.com' }, { 'Value': 'b@x.com' }]" })
        {
            var canonical = ResourceCanonicalizer.CanonicalizeResource(Json.Object($"{{ 'userName': 'x', '{Veritas}': {{ 'emailAliases': {raw} }} }}"), User);

            Assert.True(Json.DeepEquals(Json.Node(raw), canonical[Veritas]!["emailAliases"]), raw);
        }
    }

    [Fact]
    public void Urn_qualified_and_dotted_keys_are_placed_where_their_attribute_lives()
    {
        var body = Json.Object($$"""
            {
              'urn:ietf:params:scim:schemas:core:2.0:User:userName': 'jdoe',
              'name.familyName': 'Doe',
              '{{Enterprise}}:department': 'Legal',
              '{{Enterprise}}:manager.value': '26118915-6090-4610-87e4-49d8ca9f808d'
            }
            """);

        var canonical = ResourceCanonicalizer.CanonicalizeResource(body, User);

        Assert.Equal("jdoe", (string?)canonical["userName"]);
        Assert.Equal("Doe", (string?)canonical["name"]!["familyName"]);
        Assert.Equal("Legal", (string?)canonical[Enterprise]!["department"]);
        Assert.Equal("26118915-6090-4610-87e4-49d8ca9f808d", (string?)canonical[Enterprise]!["manager"]!["value"]);
    }

    [Fact]
    public void Attributes_no_schema_defines_are_kept_verbatim()
    {
        var body = Json.Object($$"""
            {
              'userName': 'jdoe',
              'costCentreCode': { 'Nested': [1, 'two', null] },
              'name': { 'givenName': 'J', 'phonetic': 'jay' },
              '{{Enterprise}}': { 'badgeColour': 'blue' }
            }
            """);

        var canonical = ResourceCanonicalizer.CanonicalizeResource(body, User);

        Assert.True(Json.DeepEquals(Json.Node("{ 'Nested': [1, 'two', null] }"), canonical["costCentreCode"]));
        Assert.Equal("jay", (string?)canonical["name"]!["phonetic"]);
        Assert.Equal("blue", (string?)canonical[Enterprise]!["badgeColour"]);
    }

    [Theory]
    [InlineData("{ 'userName': 'x', 'active': 'maybe' }", "active")]
    [InlineData("{ 'userName': 'x', 'active': 1 }", "active")]
    [InlineData("{ 'userName': ['x'] }", "userName")]
    [InlineData("{ 'userName': 'x', 'name': 'John Doe' }", "name")]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'value': 'a@b.c', 'primary': 'yes' }] }", "emails.primary")]
    [InlineData("{ 'userName': 'x', 'meta': { 'created': 'yesterday' } }", "meta.created")]
    [InlineData("{ 'userName': 'x', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': 'Legal' }", "enterprise")]
    public void Values_of_the_wrong_type_are_invalidValue_naming_the_attribute(string json, string named)
    {
        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(Json.Object(json), User));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'value': 'a@b.c', 'primary': true }, { 'value': 'd@b.c', 'primary': true }] }", "emails")]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'value': 'a@b.c', 'Primary': 'True' }, { 'value': 'd@b.c', 'primary': true }] }", "emails")]
    [InlineData("{ 'userName': 'x', 'phoneNumbers': [{ 'value': '1', 'primary': true }, { 'value': '2' }, { 'value': '3', 'PRIMARY': 'true' }] }", "phoneNumbers")]
    public void Two_values_marked_primary_are_invalidValue_naming_the_attribute(string json, string named)
    {
        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(Json.Object(json), User));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 7643 §2.4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'value': 'a@b.c', 'primary': true }, { 'value': 'd@b.c', 'primary': false }, { 'value': 'e@b.c' }] }")]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'value': 'a@b.c', 'primary': true }], 'phoneNumbers': [{ 'value': '1', 'primary': true }] }")]
    public void One_primary_value_per_attribute_is_accepted(string json) =>
        Assert.NotNull(ResourceCanonicalizer.CanonicalizeResource(Json.Object(json), User));

    [Fact]
    public void Schemas_that_is_not_an_array_of_strings_is_invalidSyntax()
    {
        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(Json.Object("{ 'schemas': 'urn:x', 'userName': 'x' }"), User));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void A_bare_value_for_a_multi_valued_complex_attribute_means_its_value_sub_attribute()
    {
        var canonical = ResourceCanonicalizer.CanonicalizeResource(Json.Object("{ 'userName': 'x', 'emails': 'x@contoso.com' }"), User);

        Assert.True(Json.DeepEquals(Json.Node("[{ 'value': 'x@contoso.com' }]"), canonical["emails"]));
    }

    [Fact]
    public void Canonicalising_is_idempotent_and_never_fails_but_with_a_SCIM_error()
    {
        Generators.ClientUserBody.Sample(body =>
        {
            JsonObject once;
            try
            {
                once = ResourceCanonicalizer.CanonicalizeResource(body, User);
            }
            catch (ScimException error)
            {
                Assert.Equal(400, error.Status);
                return;
            }

            var twice = ResourceCanonicalizer.CanonicalizeResource(once, User);
            Assert.True(Json.DeepEquals(once, twice), once.ToJsonString());
        });
    }

    [Theory]
    [InlineData("{ 'userName': 'x', 'name.givenName': 'a', 'name': { 'givenName': 'b' } }")]
    [InlineData("{ 'userName': 'x', 'displayName': 'a', 'urn:ietf:params:scim:schemas:core:2.0:User:displayName': 'b' }")]
    [InlineData("{ 'userName': 'x', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'a', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { 'Department': 'b' } }")]
    [InlineData("{ 'userName': 'x', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:fooBar': 'a', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { 'FOOBAR': 'b' } }")]
    public void One_attribute_named_twice_in_different_spellings_is_invalidSyntax_not_last_one_wins(string body)
    {
        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(Json.Object(body), User));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void Sub_attributes_named_twice_in_different_case_are_invalidSyntax_even_past_the_door()
    {
        var body = new JsonObject { ["userName"] = "x", ["name"] = new JsonObject { ["givenName"] = "a", ["GIVENNAME"] = "b" } };

        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(body, User));

        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void A_multi_valued_attribute_may_have_up_to_the_most_values_and_no_more()
    {
        static JsonObject WithPhones(int count) => new()
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = "many@example.test",
            ["phoneNumbers"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["value"] = $"+1555{i:D4}" })]),
        };

        var max = ResourceCanonicalizer.MaxValuesPerAttribute;
        Assert.Equal(max, ResourceCanonicalizer.CanonicalizeResource(WithPhones(max), User)["phoneNumbers"]!.AsArray().Count);
        var error = Assert.Throws<ScimException>(() => ResourceCanonicalizer.CanonicalizeResource(WithPhones(max + 1), User));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains("'phoneNumbers' may have at most", error.Message, StringComparison.Ordinal);
    }
}
