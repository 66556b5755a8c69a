using System.Text.Json.Nodes;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

/// <summary>
/// The PATCH bodies Microsoft Entra ID sends, from Microsoft's "Develop and plan provisioning for
/// a SCIM endpoint" tutorial and its SCIM compliance notes: without the <c>aadOptscim062020</c>
/// flag (PascalCase ops, booleans as strings, one operation per attribute) and with it (lower-case
/// ops, JSON booleans, several attributes in one path-less operation).
/// </summary>
public sealed class EntraPatchTests
{
    [Fact]
    public void Tutorial_update_user_multi_valued_properties()
    {
        var result = ApplyBody(User(), """
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [
                {
                  "op": "Replace",
                  "path": "emails[type eq \"work\"].value",
                  "value": "updatedEmail@microsoft.com"
                },
                {
                  "op": "Replace",
                  "path": "name.familyName",
                  "value": "updatedFamilyName"
                }
              ]
            }
            """);
        Assert.True(result.Changed);
        Assert.Equal("updatedEmail@microsoft.com", (string?)Email(result.Resource, "work")!["value"]);
        Assert.Equal("updatedFamilyName", (string?)result.Resource["name"]!["familyName"]);
        Assert.Equal("Jo", (string?)result.Resource["name"]!["givenName"]);
    }

    [Fact]
    public void Tutorial_update_user_single_valued_property()
    {
        var result = ApplyBody(User(), """
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{
                "op": "Replace",
                "path": "userName",
                "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
              }]
            }
            """);
        Assert.Equal("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com", (string?)result.Resource["userName"]);
    }

    [Theory]
    [InlineData("Replace", "\"False\"")]
    [InlineData("replace", "false")]
    public void Tutorial_disable_user_without_and_with_the_flag(string op, string value)
    {
        var result = ApplyBody(User(), $$"""
            {
              "Operations": [ { "op": "{{op}}", "path": "active", "value": {{value}} } ],
              "schemas": [ "urn:ietf:params:scim:api:messages:2.0:PatchOp" ]
            }
            """);
        Assert.True(result.Changed);
        Assert.False((bool)result.Resource["active"]!);
    }

    [Theory]
    [InlineData("Replace", "\"True\"")]
    [InlineData("replace", "true")]
    public void Re_enabling_a_user_without_and_with_the_flag(string op, string value)
    {
        var user = User();
        user["active"] = false;
        var result = ApplyBody(user, $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"{{op}}","path":"active","value":{{value}}}]}""");
        Assert.True((bool)result.Resource["active"]!);
    }

    [Fact]
    public void Add_of_a_new_attribute_without_the_flag()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Add","path":"nickName","value":"Babs"},
              {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter","value":"4130"}]}
            """);
        Assert.Equal("Babs", (string?)result.Resource["nickName"]);
        Assert.Equal("4130", (string?)result.Resource[Enterprise]!["costCenter"]);
    }

    [Fact]
    public void Add_of_a_new_attribute_with_the_flag()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"add","value":{"nickName":"Babs","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter":"4130"}}]}
            """);
        Assert.Equal("Babs", (string?)result.Resource["nickName"]);
        Assert.Equal("4130", (string?)result.Resource[Enterprise]!["costCenter"]);
    }

    [Fact]
    public void Add_of_the_work_email_when_the_user_has_none()
    {
        var user = User();
        user.Remove("emails");
        var result = ApplyBody(user, """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Add","path":"emails[type eq \"work\"].value","value":"jyoung@contoso.com"}]}
            """);
        Assert.True(JsonNode.DeepEquals(Json("""[{"type":"work","value":"jyoung@contoso.com"}]"""), result.Resource["emails"]));
    }

    [Fact]
    public void Multi_attribute_replace_without_the_flag_is_one_operation_per_attribute()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"displayName","value":"Pat Doe"},
              {"op":"Replace","path":"name.givenName","value":"Pat"},
              {"op":"Replace","path":"active","value":"False"},
              {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"R&D"}]}
            """);
        AssertPatDoe(result.Resource);
    }

    [Fact]
    public void Multi_attribute_replace_with_the_flag_is_one_path_less_operation()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"replace","value":{
                "displayName":"Pat Doe",
                "name.givenName":"Pat",
                "active":false,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D"}}]}
            """);
        AssertPatDoe(result.Resource);
    }

    [Fact]
    public void Multi_attribute_replace_with_a_nested_extension_object()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","value":{
                "displayName":"Pat Doe",
                "name.givenName":"Pat",
                "active":"False",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}}}]}
            """);
        AssertPatDoe(result.Resource);
    }

    [Theory]
    [InlineData("\"SMTP:jyoung@contoso.com,smtp:jo@contoso.com,x500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc\"")]
    [InlineData("[{\"value\":\"SMTP:jyoung@contoso.com,smtp:jo@contoso.com\"}]")]
    [InlineData("[\"SMTP:jyoung@contoso.com\",\"smtp:jo@contoso.com\"]")]
    public void Add_of_email_aliases_keeps_the_value_exactly_as_sent(string value)
    {
        var result = ApplyBody(User(), $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":{{value}}}]}
            """);
        Assert.True(JsonNode.DeepEquals(Json(value), result.Resource[VeritasExtension]!["emailAliases"]));
    }

    [Fact]
    public void Replaying_the_same_cycle_changes_nothing()
    {
        const string Body = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"emails[type eq \"work\"].value","value":"jyoung@contoso.com"},
              {"op":"Replace","path":"active","value":"True"},
              {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":"smtp:jo@contoso.com"}]}
            """;
        var first = ApplyBody(User(), Body);
        Assert.True(first.Changed);
        var second = ApplyBody(first.Resource, Body);
        Assert.False(second.Changed);
    }

    [Fact]
    public void Remove_of_a_group_members_path_on_a_user_changes_nothing()
    {
        var result = ApplyBody(User(), """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]}
            """);
        Assert.False(result.Changed);
    }

    private static void AssertPatDoe(JsonObject resource)
    {
        Assert.Equal("Pat Doe", (string?)resource["displayName"]);
        Assert.Equal("Pat", (string?)resource["name"]!["givenName"]);
        Assert.Equal("Young", (string?)resource["name"]!["familyName"]);
        Assert.False((bool)resource["active"]!);
        Assert.Equal("R&D", (string?)resource[Enterprise]!["department"]);
        Assert.Equal("701984", (string?)resource[Enterprise]!["employeeNumber"]);
    }
}
