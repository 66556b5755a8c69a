using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

public sealed class PatchInterpreterTests
{
    private static ScimException Fails(JsonObject resource, params PatchOperation[] operations)
    {
        var snapshot = resource.DeepClone();
        var error = Assert.Throws<ScimException>(() => Apply(resource, operations));
        Assert.Equal(400, error.Status);
        Assert.True(JsonNode.DeepEquals(snapshot, resource), "a failed PATCH must leave the resource untouched");
        return error;
    }

    [Fact]
    public void Replaces_a_simple_attribute_on_a_copy()
    {
        var user = User();
        var result = Apply(user, Replace("displayName", "Joanne Young"));
        Assert.True(result.Changed);
        Assert.Equal("Joanne Young", (string?)result.Resource["displayName"]);
        Assert.Equal("Jo Young", (string?)user["displayName"]);
        Assert.NotSame(user, result.Resource);
    }

    [Fact]
    public void Canonicalises_attribute_names_written_in_another_case()
    {
        var result = Apply(User(), Replace("DISPLAYNAME", "x"), Replace("Name.GivenName", "y"));
        Assert.Equal("x", (string?)result.Resource["displayName"]);
        Assert.Equal("y", (string?)result.Resource["name"]!["givenName"]);
        Assert.False(result.Resource.ContainsKey("DISPLAYNAME"));
    }

    [Fact]
    public void Adds_replaces_and_removes_sub_attributes_of_a_complex_attribute()
    {
        var result = Apply(User(), Replace("name.givenName", "Joanne"), Add("name.middleName", "Q"), Remove("name.familyName"));
        Assert.True(JsonNode.DeepEquals(Json("""{"givenName":"Joanne","middleName":"Q"}"""), result.Resource["name"]));
    }

    [Fact]
    public void Removing_the_last_sub_attribute_leaves_the_complex_attribute_unassigned()
    {
        var result = Apply(User(), Remove("name.givenName"), Remove("name.familyName"));
        Assert.False(result.Resource.ContainsKey("name"));
    }

    [Fact]
    public void Adding_a_sub_attribute_creates_the_complex_attribute()
    {
        var user = User();
        user.Remove("name");
        var result = Apply(user, Add("name.familyName", "Young"));
        Assert.True(JsonNode.DeepEquals(Json("""{"familyName":"Young"}"""), result.Resource["name"]));
    }

    [Theory]
    [InlineData(PatchOperationKind.Add)]
    [InlineData(PatchOperationKind.Replace)]
    public void Add_and_replace_merge_into_a_single_valued_complex_attribute(PatchOperationKind kind)
    {
        var result = Apply(User(), new PatchOperation(kind, "name", Json("""{"GivenName":"Joanne","formatted":"Ms Joanne Young"}""")));
        Assert.True(JsonNode.DeepEquals(Json("""{"givenName":"Joanne","familyName":"Young","formatted":"Ms Joanne Young"}"""), result.Resource["name"]));
    }

    [Fact]
    public void Replaces_the_value_selected_by_a_value_filter()
    {
        var result = Apply(User(), Replace("emails[type eq \"work\"].value", "joanne@contoso.com"));
        Assert.Equal("joanne@contoso.com", (string?)Email(result.Resource, "work")!["value"]);
        Assert.True((bool)Email(result.Resource, "work")!["primary"]!);
        Assert.Equal("jo@home.example", (string?)Email(result.Resource, "home")!["value"]);
    }

    [Theory]
    [InlineData(PatchOperationKind.Add)]
    [InlineData(PatchOperationKind.Replace)]
    public void Add_and_replace_on_a_work_email_value_path_create_the_work_email_when_missing(PatchOperationKind kind)
    {
        var user = User();
        user.Remove("emails");
        var result = Apply(user, new PatchOperation(kind, "emails[type eq \"work\"].value", JsonValue.Create("new@contoso.com")));
        Assert.True(JsonNode.DeepEquals(Json("""[{"type":"work","value":"new@contoso.com"}]"""), result.Resource["emails"]));
    }

    [Fact]
    public void Creates_the_work_email_beside_other_emails()
    {
        var user = User();
        Emails(user).RemoveAt(0);
        var result = Apply(user, Add("emails[type eq \"work\"].value", "new@contoso.com"));
        Assert.Equal(2, Emails(result.Resource).Count);
        Assert.Equal("new@contoso.com", (string?)Email(result.Resource, "work")!["value"]);
    }

    [Fact]
    public void Creates_an_address_from_a_conjunction_of_equalities()
    {
        var result = Apply(User(), Add("addresses[type eq \"work\" and primary eq true].streetAddress", "1 Main St"));
        Assert.True(JsonNode.DeepEquals(Json("""[{"type":"work","primary":true,"streetAddress":"1 Main St"}]"""), result.Resource["addresses"]));
    }

    [Fact]
    public void Sets_a_sub_attribute_on_an_existing_address_selected_by_type()
    {
        var user = User();
        user["addresses"] = Json("""[{"type":"work","locality":"Leeds"},{"type":"home","locality":"York"}]""");
        var result = Apply(user, Replace("addresses[type eq \"work\"].streetAddress", "1 Main St"));
        Assert.True(JsonNode.DeepEquals(Json("""[{"type":"work","locality":"Leeds","streetAddress":"1 Main St"},{"type":"home","locality":"York"}]"""), result.Resource["addresses"]));
    }

    [Theory]
    [InlineData("emails[value sw \"jo\"].display")]
    [InlineData("emails[type eq \"work\" or type eq \"home\"].display")]
    [InlineData("emails[not (type eq \"home\")].value")]
    [InlineData("emails[type eq null].value")]
    public void Replace_on_a_value_filter_with_no_match_and_nothing_to_create_is_noTarget(string path)
    {
        var user = User();
        user.Remove("emails");
        var error = Fails(user, Replace(path, "x"));
        Assert.Equal(ScimErrorType.NoTarget, error.ScimType);
    }

    /// <summary>Found by the scim-patch differential: the repeat was kept when the attribute had no values yet.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Add_of_a_repeated_value_adds_it_once_whether_or_not_the_attribute_had_values(bool hadValues)
    {
        var user = User();
        if (!hadValues)
        {
            user.Remove("emails");
        }

        var result = Apply(user, Add("emails", Json("""[{"value":"new@x.test","type":"other"},{"value":"new@x.test","type":"other"}]""")));

        Assert.Single(Emails(result.Resource), e => (string?)e!["value"] == "new@x.test");
        Assert.Equal(hadValues ? 3 : 1, Emails(result.Resource).Count);
    }

    [Fact]
    public void Replace_of_a_whole_filtered_value_keeps_what_the_filter_selected_on()
    {
        var result = Apply(User(), Replace("emails[type eq \"home\"]", Json("""{"value":"jo@new.example"}""")));
        Assert.True(JsonNode.DeepEquals(Json("""{"type":"home","value":"jo@new.example"}"""), Email(result.Resource, "home")));
    }

    [Fact]
    public void Add_of_a_whole_filtered_value_merges_into_the_matching_values()
    {
        var result = Apply(User(), Add("emails[type eq \"work\"]", Json("""{"display":"Work","Primary":"true"}""")));
        Assert.True(JsonNode.DeepEquals(Json("""{"value":"jyoung@contoso.com","type":"work","primary":true,"display":"Work"}"""), Email(result.Resource, "work")));
    }

    [Fact]
    public void Remove_with_a_value_filter_removes_only_the_matching_values()
    {
        var result = Apply(User(), Remove("emails[type eq \"home\"]"));
        var remaining = Assert.Single(Emails(result.Resource));
        Assert.Equal("work", (string?)remaining!["type"]);
    }

    [Fact]
    public void Remove_with_a_value_filter_that_empties_the_attribute_removes_it()
    {
        var result = Apply(User(), Remove("emails[type eq \"home\"]"), Remove("emails[type eq \"work\"]"));
        Assert.False(result.Resource.ContainsKey("emails"));
    }

    [Fact]
    public void Remove_of_a_filtered_sub_attribute_removes_only_that_sub_attribute()
    {
        var result = Apply(User(), Remove("emails[type eq \"work\"].value"));
        Assert.True(JsonNode.DeepEquals(Json("""{"type":"work","primary":true}"""), Email(result.Resource, "work")));
        Assert.Equal(2, Emails(result.Resource).Count);
    }

    [Fact]
    public void Remove_with_a_filter_that_matches_nothing_changes_nothing()
    {
        var result = Apply(User(), Remove("emails[type eq \"other\"]"), Remove("nickName"), Remove("addresses[type eq \"work\"].streetAddress"));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Add_on_a_multi_valued_attribute_appends_without_duplicating_identical_values()
    {
        var result = Apply(User(), Add("emails", Json("""[{"value":"jo@home.example","type":"home"},{"value":"jo@other.example","type":"other"}]""")));
        Assert.Equal(3, Emails(result.Resource).Count);
        Assert.Equal("jo@other.example", (string?)Email(result.Resource, "other")!["value"]);
    }

    [Fact]
    public void Add_of_a_single_object_to_a_multi_valued_attribute_appends_it()
    {
        var result = Apply(User(), Add("phoneNumbers", Json("""{"value":"+44 1","type":"work"}""")));
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"+44 1","type":"work"}]"""), result.Resource["phoneNumbers"]));
    }

    [Fact]
    public void Replace_on_a_multi_valued_attribute_replaces_the_whole_array()
    {
        var result = Apply(User(), Replace("emails", Json("""[{"value":"only@contoso.com","type":"work","primary":"True"}]""")));
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"only@contoso.com","type":"work","primary":true}]"""), result.Resource["emails"]));
    }

    [Fact]
    public void A_new_primary_value_makes_the_other_values_not_primary()
    {
        var result = Apply(User(), Add("emails", Json("""[{"value":"jo@other.example","type":"other","primary":true}]""")));
        Assert.False((bool)Email(result.Resource, "work")!["primary"]!);
        Assert.True((bool)Email(result.Resource, "other")!["primary"]!);
    }

    [Fact]
    public void Setting_primary_through_a_filter_makes_the_other_values_not_primary()
    {
        var result = Apply(User(), Replace("emails[type eq \"home\"].primary", "True"));
        Assert.True((bool)Email(result.Resource, "home")!["primary"]!);
        Assert.False((bool)Email(result.Resource, "work")!["primary"]!);
    }

    [Theory]
    [InlineData("\"False\"", false)]
    [InlineData("\"false\"", false)]
    [InlineData("\"FALSE\"", false)]
    [InlineData("false", false)]
    [InlineData("\"True\"", true)]
    [InlineData("\"tRuE\"", true)]
    [InlineData("true", true)]
    public void Reads_booleans_sent_as_strings(string value, bool expected)
    {
        var user = User();
        user["active"] = !expected;
        var result = Apply(user, Replace("active", Json(value)));
        Assert.Equal(expected, (bool)result.Resource["active"]!);
        Assert.True(result.Changed);
    }

    [Fact]
    public void Replaces_an_enterprise_attribute_by_its_urn_path()
    {
        var result = Apply(User(), Replace(Enterprise + ":employeeNumber", "123"), Add(Enterprise + ":manager.value", "boss-id"));
        Assert.True(JsonNode.DeepEquals(Json("""{"department":"Sales","employeeNumber":"123","manager":{"value":"boss-id"}}"""), result.Resource[Enterprise]));
    }

    [Fact]
    public void Replaces_a_core_attribute_by_its_urn_path()
    {
        var result = Apply(User(), Replace("urn:ietf:params:scim:schemas:core:2.0:User:displayName", "x"), Replace("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "y"));
        Assert.Equal("x", (string?)result.Resource["displayName"]);
        Assert.Equal("y", (string?)result.Resource["name"]!["givenName"]);
    }

    [Fact]
    public void Adding_an_extension_attribute_creates_the_extension_object_and_lists_its_schema()
    {
        var result = Apply(User(), Add(VeritasExtension + ":emailAliases", "SMTP:a@x.com,smtp:b@x.com"));
        Assert.Equal("SMTP:a@x.com,smtp:b@x.com", (string?)result.Resource[VeritasExtension]!["emailAliases"]);
        Assert.Contains(VeritasExtension, result.Resource["schemas"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void Removing_the_last_extension_attribute_removes_the_extension_object_and_its_schema()
    {
        var result = Apply(User(), Remove(Enterprise + ":department"), Remove(Enterprise + ":employeeNumber"));
        Assert.False(result.Resource.ContainsKey(Enterprise));
        Assert.DoesNotContain(Enterprise, result.Resource["schemas"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void Keeps_email_aliases_exactly_as_sent_whatever_their_shape()
    {
        var asObjects = Json("""[{"value":"SMTP:a@x.com"},{"Value":"x500:/o=Org/ou=Exchange Administrative Group/cn=a"}]""");
        var result = Apply(User(), Add(VeritasExtension + ":emailAliases", asObjects));
        Assert.True(JsonNode.DeepEquals(asObjects, result.Resource[VeritasExtension]!["emailAliases"]));

        var asStrings = Json("""["SMTP:a@x.com","smtp:b@x.com"]""");
        result = Apply(result.Resource, Replace(VeritasExtension + ":emailAliases", asStrings));
        Assert.True(JsonNode.DeepEquals(asStrings, result.Resource[VeritasExtension]!["emailAliases"]));
    }

    [Fact]
    public void Without_a_path_applies_plain_dotted_and_urn_keys_and_extension_objects()
    {
        var value = Json($$"""
            {
              "displayName": "Pat Doe",
              "name.givenName": "Pat",
              "{{Enterprise}}:department": "R&D",
              "urn:ietf:params:scim:schemas:core:2.0:User:nickName": "Paddy",
              "{{VeritasExtension}}": { "emailAliases": "smtp:pat@x.com" },
              "active": "False"
            }
            """);
        var result = Apply(User(), Replace(null, value));
        var resource = result.Resource;
        Assert.Equal("Pat Doe", (string?)resource["displayName"]);
        Assert.Equal("Pat", (string?)resource["name"]!["givenName"]);
        Assert.Equal("Young", (string?)resource["name"]!["familyName"]);
        Assert.Equal("R&D", (string?)resource[Enterprise]!["department"]);
        Assert.Equal("701984", (string?)resource[Enterprise]!["employeeNumber"]);
        Assert.Equal("Paddy", (string?)resource["nickName"]);
        Assert.Equal("smtp:pat@x.com", (string?)resource[VeritasExtension]!["emailAliases"]);
        Assert.False((bool)resource["active"]!);
        Assert.False(resource.ContainsKey("name.givenName"));
    }

    /// <summary>Found by the SCIMMY differential: the key was kept as an attribute named after the whole path.</summary>
    [Theory]
    [InlineData(PatchOperationKind.Add)]
    [InlineData(PatchOperationKind.Replace)]
    public void Without_a_path_a_value_filter_key_is_read_as_the_path_it_spells(PatchOperationKind kind)
    {
        var value = Json("""{"emails[type eq \"work\"].value":"new@contoso.com","name.familyName":"Doe"}""");
        var result = Apply(User(), new PatchOperation(kind, null, value));
        Assert.Equal("new@contoso.com", (string?)Email(result.Resource, "work")!["value"]);
        Assert.Equal("Doe", (string?)result.Resource["name"]!["familyName"]);
        Assert.DoesNotContain(result.Resource, property => property.Key.Contains('[', StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_path_a_malformed_value_filter_key_is_invalidPath()
    {
        var error = Fails(User(), Replace(null, Json("""{"emails[type eq \"work\".value":"x@contoso.com"}""")));
        Assert.Equal(ScimErrorType.InvalidPath, error.ScimType);
    }

    /// <summary>
    /// Found by the SCIMMY differential: an untyped entry was appended. The value written cannot match
    /// the filter that found nothing, so nothing is there to replace (RFC 7644 §3.5.2.3: noTarget).
    /// </summary>
    [Theory]
    [InlineData("emails[value eq \"nomatch@x.com\"].value")]
    [InlineData("emails[type eq \"home\" and value eq \"nomatch@x.com\"].value")]
    public void Replace_of_the_sub_attribute_a_filter_selects_on_with_no_match_is_noTarget(string path)
    {
        var error = Fails(User(), Replace(path, "other@x.com"));
        Assert.Equal(ScimErrorType.NoTarget, error.ScimType);
    }

    [Fact]
    public void Replace_of_the_sub_attribute_a_filter_selects_on_with_the_value_it_names_creates_it()
    {
        var user = User();
        user.Remove("emails");
        var result = Apply(user, Replace("emails[value eq \"new@x.com\"].value", "new@x.com"));
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"new@x.com"}]"""), result.Resource["emails"]));
    }

    [Fact]
    public void Without_a_path_add_appends_to_multi_valued_attributes()
    {
        var result = Apply(User(), Add(null, Json("""{"emails":[{"value":"x@y.example","type":"other"}]}""")));
        Assert.Equal(3, Emails(result.Resource).Count);
    }

    [Fact]
    public void Keeps_attributes_no_schema_defines_verbatim()
    {
        var result = Apply(
            User(),
            Add("costCentreCode", "CC-1"),
            Add("badges", Json("""[{"value":"gold"}]""")),
            Add("badges", Json("""[{"value":"silver"},{"value":"gold"}]""")),
            Add(null, Json("""{"Shoe":{"Size":9}}""")),
            Add("shoe.colour", "red"));
        var resource = result.Resource;
        Assert.Equal("CC-1", (string?)resource["costCentreCode"]);
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"gold"},{"value":"silver"}]"""), resource["badges"]));
        Assert.True(JsonNode.DeepEquals(Json("""{"Size":9,"colour":"red"}"""), resource["Shoe"]));

        resource = Apply(resource, Replace("BADGES", Json("""[{"value":"bronze"}]""")), Remove("costCentreCode"), Remove("Shoe.Size")).Resource;
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"bronze"}]"""), resource["badges"]));
        Assert.False(resource.ContainsKey("costCentreCode"));
        Assert.True(JsonNode.DeepEquals(Json("""{"colour":"red"}"""), resource["Shoe"]));
    }

    [Fact]
    public void Filters_values_of_an_attribute_no_schema_defines()
    {
        var user = User();
        user["badges"] = Json("""[{"value":"gold","kind":"a"},{"value":"silver","kind":"b"}]""");
        var result = Apply(user, Remove("badges[kind eq \"a\"]"), Replace("badges[kind eq \"b\"].value", "bronze"));
        Assert.True(JsonNode.DeepEquals(Json("""[{"value":"bronze","kind":"b"}]"""), result.Resource["badges"]));
    }

    [Fact]
    public void Replace_with_null_clears_the_attribute()
    {
        var result = Apply(User(), Replace("displayName", null));
        Assert.False(result.Resource.ContainsKey("displayName"));
    }

    [Fact]
    public void Applies_operations_in_order()
    {
        var result = Apply(User(), Replace("displayName", "a"), Replace("displayName", "b"), Remove("nickName"), Add("nickName", "c"));
        Assert.Equal("b", (string?)result.Resource["displayName"]);
        Assert.Equal("c", (string?)result.Resource["nickName"]);
    }

    [Fact]
    public void Is_all_or_nothing()
    {
        var user = User();
        var error = Fails(user, Replace("displayName", "changed"), Add("emails", Json("""[{"value":"x@y.example"}]""")), Replace("active", "perhaps"));
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Equal("Jo Young", (string?)user["displayName"]);
    }

    [Fact]
    public void Reports_no_change_for_a_patch_that_writes_what_is_already_there()
    {
        var result = Apply(
            User(),
            Replace("displayName", "Jo Young"),
            Replace("active", "True"),
            Replace("emails[type eq \"work\"].value", "jyoung@contoso.com"),
            Add("emails", Json("""[{"value":"jo@home.example","type":"home"}]""")),
            Replace("name", Json("""{"familyName":"Young"}""")),
            Replace(Enterprise + ":department", "Sales"),
            Replace(null, Json("""{"userName":"jyoung@contoso.com","name.givenName":"Jo"}""")));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Reports_no_change_when_only_the_order_of_sub_attributes_differs()
    {
        var result = Apply(User(), Replace("emails[type eq \"home\"]", Json("""{"value":"jo@home.example","type":"home"}""")));
        Assert.False(result.Changed);
    }

    [Fact]
    public void Reports_a_change_when_a_patch_reverts_itself_only_partly()
    {
        var result = Apply(User(), Replace("displayName", "x"), Replace("displayName", "Jo Young"), Add("nickName", "J"));
        Assert.True(result.Changed);
    }

    [Theory]
    [InlineData("userName.first")]
    [InlineData("active.value")]
    [InlineData("active[value eq true]")]
    [InlineData("name[givenName eq \"Jo\"]")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails..value")]
    [InlineData("urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases.value")]
    public void Rejects_unparsable_paths_and_paths_into_simple_attributes_with_invalidPath(string path)
    {
        var error = Fails(User(), Replace(path, "x"));
        Assert.Equal(ScimErrorType.InvalidPath, error.ScimType);
    }

    [Theory]
    [InlineData("active", "\"perhaps\"")]
    [InlineData("active", "{\"value\":true}")]
    [InlineData("name", "\"Jo Young\"")]
    [InlineData("displayName", "{\"a\":1}")]
    [InlineData("emails", "[{\"value\":\"a@b.example\",\"primary\":\"yes\"}]")]
    [InlineData("emails[type eq \"work\"].primary", "\"sometimes\"")]
    [InlineData("emails[type eq \"work\"]", "[{\"value\":\"a@b.example\"}]")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "[1]")]
    public void Rejects_values_of_the_wrong_type_with_invalidValue(string path, string value)
    {
        var error = Fails(User(), Replace(path, Json(value)));
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
    }

    [Theory]
    [InlineData("\"displayName\"")]
    [InlineData("[{\"displayName\":\"x\"}]")]
    [InlineData("{\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":\"x\"}")]
    public void Rejects_a_pathless_value_that_is_not_an_object_of_attributes(string value)
    {
        var error = Fails(User(), Add(null, Json(value)));
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
    }

    [Theory]
    [InlineData(PatchOperationKind.Replace, "id", "\"other\"")]
    [InlineData(PatchOperationKind.Remove, "id", null)]
    [InlineData(PatchOperationKind.Replace, "meta", "{\"version\":\"W/\\\"9\\\"\"}")]
    [InlineData(PatchOperationKind.Replace, "meta.version", "\"W/\\\"9\\\"\"")]
    [InlineData(PatchOperationKind.Remove, "meta.created", null)]
    [InlineData(PatchOperationKind.Add, "groups", "[{\"value\":\"g1\"}]")]
    [InlineData(PatchOperationKind.Add, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName", "\"Boss\"")]
    public void Rejects_changes_to_read_only_attributes_with_mutability(PatchOperationKind kind, string path, string? value)
    {
        var error = Fails(User(), new PatchOperation(kind, path, value is null ? null : Json(value)));
        Assert.Equal(ScimErrorType.Mutability, error.ScimType);
    }

    [Fact]
    public void Rejects_a_pathless_value_that_changes_the_id_but_tolerates_one_that_repeats_it()
    {
        var error = Fails(User(), Replace(null, Json("""{"id":"other","displayName":"x"}""")));
        Assert.Equal(ScimErrorType.Mutability, error.ScimType);

        var result = Apply(User(), Replace(null, Json("""{"id":"2819c223-7f76-453a-919d-413861904646","displayName":"x"}""")));
        Assert.Equal("x", (string?)result.Resource["displayName"]);
    }

    [Fact]
    public void Ignores_schemas_in_a_pathless_value()
    {
        var result = Apply(User(), Replace(null, Json("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"Jo Young"}""")));
        Assert.False(result.Changed);
    }

    [Theory]
    [InlineData("phoneNumbers")]
    [InlineData("emails")]
    [InlineData("undefinedList")]
    public void An_add_that_would_give_an_attribute_more_than_the_most_values_is_refused_and_changes_nothing(string attribute)
    {
        static JsonArray Values(int from, int count) =>
            [.. Enumerable.Range(from, count).Select(i => (JsonNode)new JsonObject { ["value"] = $"v{i}@example.test", ["type"] = "other" })];
        var max = Veritas.Scim.Protocol.Resources.ResourceCanonicalizer.MaxValuesPerAttribute;
        var full = Apply(User(), Replace(attribute, Values(0, max))).Resource;
        Assert.Equal(max, full[attribute]!.AsArray().Count);

        // One more value, added alone or as part of a longer list, is refused; a value already there is not "more".
        var oneMore = Fails(full, Add(attribute, Values(1_000, 1)));
        Assert.Equal(ScimErrorType.InvalidValue, oneMore.ScimType);
        Assert.Contains($"at most {max} values", oneMore.Message, StringComparison.Ordinal);
        Assert.Equal(ScimErrorType.InvalidValue, Fails(User(), Add(attribute, Values(0, max + 1))).ScimType);
        var again = Apply(full, Add(attribute, Values(0, 1)));
        Assert.False(again.Changed);
    }
}
