using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

/// <summary>A path that is exactly a schema URN (RFC 7644 §3.5.2, §3.10), and paths that name nothing.</summary>
public sealed class PatchSchemaUrnPathTests
{
    private const string Core = "urn:ietf:params:scim:schemas:core:2.0:User";

    private static ScimException Fails(JsonObject resource, params PatchOperation[] operations) =>
        Assert.Throws<ScimException>(() => Apply(resource, operations));

    [Fact]
    public void Add_with_the_enterprise_urn_merges_into_the_extension_and_invents_no_key()
    {
        var result = Apply(User(), Add(Enterprise, Json("""{"costCenter":"4130","Department":"R&D"}""")));

        Assert.True(JsonNode.DeepEquals(Json("""{"department":"R&D","employeeNumber":"701984","costCenter":"4130"}"""), result.Resource[Enterprise]));
        Assert.DoesNotContain(result.Resource, p => p.Key.StartsWith("urn:", StringComparison.Ordinal) && p.Key != Enterprise);
    }

    [Fact]
    public void Add_with_the_veritas_urn_creates_the_extension_and_lists_its_schema()
    {
        var result = Apply(User(), Add(VeritasExtension, Json("""{"emailAliases":"smtp:jo@contoso.com"}""")));

        Assert.Equal("smtp:jo@contoso.com", (string?)result.Resource[VeritasExtension]!["emailAliases"]);
        Assert.Contains(VeritasExtension, result.Resource["schemas"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(User().Count + 1, result.Resource.Count);
    }

    [Fact]
    public void Replace_with_an_extension_urn_makes_the_extension_exactly_the_value()
    {
        var result = Apply(User(), Replace(Enterprise, Json("""{"costCenter":"4130"}""")));

        Assert.True(JsonNode.DeepEquals(Json("""{"costCenter":"4130"}"""), result.Resource[Enterprise]));
    }

    [Fact]
    public void Remove_with_an_extension_urn_removes_the_extension_and_its_schema()
    {
        var result = Apply(User(), Remove(Enterprise));

        Assert.True(result.Changed);
        Assert.False(result.Resource.ContainsKey(Enterprise));
        Assert.DoesNotContain(Enterprise, result.Resource["schemas"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void Remove_with_an_extension_urn_removes_attributes_the_schema_does_not_define_too()
    {
        var user = User();
        user[Enterprise]!["a.b"] = "kept verbatim";
        user[Enterprise]!["badge"] = "gold";

        var result = Apply(user, Remove(Enterprise));

        Assert.False(result.Resource.ContainsKey(Enterprise));
    }

    [Fact]
    public void Remove_of_an_extension_the_user_does_not_have_changes_nothing()
    {
        var result = Apply(User(), Remove(VeritasExtension));

        Assert.False(result.Changed);
    }

    [Fact]
    public void The_schema_urn_is_matched_in_any_case()
    {
        var result = Apply(User(), Add(Enterprise.ToUpperInvariant(), Json("""{"division":"North"}""")));

        Assert.Equal("North", (string?)result.Resource[Enterprise]!["division"]);
    }

    [Fact]
    public void The_core_urn_stands_for_the_resource_itself()
    {
        var withPath = Apply(User(), Replace(Core, Json("""{"displayName":"Jo Q","name":{"givenName":"Joanne"}}""")));
        var withoutPath = Apply(User(), Replace(null, Json("""{"displayName":"Jo Q","name":{"givenName":"Joanne"}}""")));

        Assert.True(JsonNode.DeepEquals(withoutPath.Resource, withPath.Resource));
        Assert.Equal("Young", (string?)withPath.Resource["name"]!["familyName"]);
    }

    [Fact]
    public void The_core_urn_cannot_be_removed()
    {
        Assert.Equal(ScimErrorType.Mutability, Fails(User(), Remove(Core)).ScimType);
    }

    [Theory]
    [InlineData("\"R&D\"")]
    [InlineData("[{\"department\":\"R&D\"}]")]
    public void A_schema_urn_path_needs_an_object_of_attributes(string value)
    {
        Assert.Equal(ScimErrorType.InvalidValue, Fails(User(), Add(Enterprise, Json(value))).ScimType);
        Assert.Equal(ScimErrorType.InvalidValue, Fails(User(), Replace(VeritasExtension, Json(value))).ScimType);
    }

    [Fact]
    public void Read_only_attributes_inside_the_extension_value_are_still_guarded()
    {
        Assert.Equal(ScimErrorType.Mutability, Fails(User(), Add(Enterprise, Json("""{"manager":{"value":"m","displayName":"Boss"}}"""))).ScimType);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.department")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:3.0:User:department")]
    [InlineData("urn:example:unknown:2.0:User:thing")]
    public void A_urn_that_is_not_a_schema_of_the_resource_is_invalidPath_for_every_op(string path)
    {
        foreach (var operation in new[] { Add(path, Json("""{"department":"X"}""")), Replace(path, Json("\"X\"")), Remove(path) })
        {
            Assert.Equal(ScimErrorType.InvalidPath, Fails(User(), operation).ScimType);
        }
    }

    [Theory]
    [InlineData("name.nickname")]
    [InlineData("emails.kind")]
    [InlineData("emails[type eq \"work\"].address")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.name")]
    public void A_sub_attribute_the_schema_does_not_define_is_invalidPath(string path)
    {
        Assert.Equal(ScimErrorType.InvalidPath, Fails(User(), Replace(path, Json("\"x\""))).ScimType);
        Assert.Equal(ScimErrorType.InvalidPath, Fails(User(), Remove(path)).ScimType);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("userName")]
    [InlineData("groups")]
    [InlineData("meta")]
    [InlineData("id")]
    [InlineData("meta.lastModified")]
    public void A_remove_the_gateway_could_not_honour_is_a_mutability_error_not_a_silent_200(string path)
    {
        var user = User();
        user["active"] = false;

        Assert.Equal(ScimErrorType.Mutability, Fails(user, Remove(path)).ScimType);
    }

    [Fact]
    public void Replace_of_active_with_null_is_refused_like_its_removal()
    {
        Assert.Equal(ScimErrorType.Mutability, Fails(User(), Replace("active", null)).ScimType);
    }

    [Fact]
    public void A_replace_to_the_current_value_is_still_a_legitimate_no_op()
    {
        var result = Apply(User(), Replace("active", JsonValue.Create(true)), Replace(Enterprise, Json("""{"department":"Sales","employeeNumber":"701984"}""")));

        Assert.False(result.Changed);
    }

    [Fact]
    public void A_replace_of_a_multi_valued_attribute_keeps_one_primary_value()
    {
        var result = Apply(User(), Replace("emails", Json("""[{"value":"a@x.example","primary":true},{"value":"b@x.example","primary":true}]""")));

        Assert.Single(Emails(result.Resource), e => (bool?)e!["primary"] == true);
        Assert.Equal("b@x.example", (string?)Emails(result.Resource).Single(e => (bool?)e!["primary"] == true)!["value"]);
    }
}
