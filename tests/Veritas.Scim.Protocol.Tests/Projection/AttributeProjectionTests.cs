using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Projection;

public sealed class AttributeProjectionTests
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    private static JsonObject Sample() => Json.Object("""
        {
          'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:veritas:2.0:User'],
          'id': '2819c223',
          'externalId': 'ext-1',
          'userName': 'bjensen',
          'name': { 'givenName': 'Barbara', 'familyName': 'Jensen' },
          'emails': [{ 'value': 'bjensen@example.com', 'type': 'work', 'primary': true }, { 'value': 'babs@home.example', 'type': 'home' }],
          'password': 'never-returned',
          'active': true,
          'favouriteColour': 'teal',
          'urn:ietf:params:scim:schemas:extension:veritas:2.0:User': { 'emailAliases': 'smtp:b@example.com' },
          'meta': { 'resourceType': 'User', 'version': 'W/\"1\"' }
        }
        """);

    private static JsonObject Project(string? attributes, string? excluded) =>
        AttributeProjection.Apply(Sample(), User, AttributeProjection.ParseList(attributes, User), AttributeProjection.ParseList(excluded, User));

    [Fact]
    public void Without_parameters_everything_but_never_returned_attributes_comes_back()
    {
        var projected = Project(null, null);

        Assert.False(projected.ContainsKey("password"));
        var expected = Sample();
        expected.Remove("password");
        Assert.True(Json.DeepEquals(expected, projected), projected.ToJsonString());
    }

    [Fact]
    public void Attributes_returns_those_plus_id_and_schemas()
    {
        var projected = Project("userName", null);

        Assert.Equal(["schemas", "id", "userName"], projected.Select(p => p.Key));
    }

    [Fact]
    public void Attributes_with_a_sub_attribute_returns_only_that_sub_attribute()
    {
        var projected = Project("name.familyName,emails.value", null);

        Assert.True(Json.DeepEquals(Json.Node("{ 'familyName': 'Jensen' }"), projected["name"]));
        Assert.True(Json.DeepEquals(Json.Node("[{ 'value': 'bjensen@example.com' }, { 'value': 'babs@home.example' }]"), projected["emails"]));
    }

    [Fact]
    public void Attribute_names_are_case_insensitive_and_may_be_urn_qualified()
    {
        var projected = Project("USERNAME,urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases", null);

        Assert.Equal("bjensen", (string?)projected["userName"]);
        Assert.Equal("smtp:b@example.com", (string?)projected["urn:ietf:params:scim:schemas:extension:veritas:2.0:User"]!["emailAliases"]);
        Assert.False(projected.ContainsKey("name"));
    }

    [Fact]
    public void A_whole_extension_can_be_requested_by_its_urn()
    {
        var projected = Project("urn:ietf:params:scim:schemas:extension:veritas:2.0:User", null);

        Assert.True(projected.ContainsKey("urn:ietf:params:scim:schemas:extension:veritas:2.0:User"));
        Assert.False(projected.ContainsKey("userName"));
    }

    [Fact]
    public void Excluded_attributes_are_left_out_but_id_never_is()
    {
        var projected = Project(null, "emails,id,name.givenName,favouriteColour");

        Assert.False(projected.ContainsKey("emails"));
        Assert.False(projected.ContainsKey("favouriteColour"));
        Assert.Equal("2819c223", (string?)projected["id"]);
        Assert.True(Json.DeepEquals(Json.Node("{ 'familyName': 'Jensen' }"), projected["name"]));
    }

    [Fact]
    public void Password_is_not_returned_even_when_asked_for()
    {
        Assert.False(Project("password", null).ContainsKey("password"));
    }

    [Fact]
    public void Projection_leaves_the_input_unchanged()
    {
        var resource = Sample();

        _ = AttributeProjection.Apply(resource, User, AttributeProjection.ParseList("userName", User), []);

        Assert.True(Json.DeepEquals(Sample(), resource));
    }
}
