using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Shapes at the edges of what clients send: each gets a deliberate answer, never a 500.</summary>
public sealed class EdgeCaseTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";
    private const string AliasPath = GatewayHost.VeritasSchema + ":emailAliases";

    private string Token => gateway.TokenA;

    private async Task<JsonObject> NewUserAsync(string? aliasesJson = null) =>
        await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("Edge"), aliasesJson: aliasesJson));

    [Theory]
    [InlineData("\"active\": \"False\"", false)]
    [InlineData("\"active\": \"true\"", true)]
    [InlineData("\"active\": false", false)]
    public async Task Create_accepts_active_as_a_string_or_a_boolean(string activeJson, bool expected)
    {
        var userName = UniqueUserName("Active");
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", {{activeJson}} }
            """);

        var body = await GatewayHost.AssertScimAsync(response, 201);
        Assert.Equal(expected, (bool)body["active"]!);
    }

    [Theory]
    [InlineData("\"active\": \"maybe\"")]
    [InlineData("\"active\": 3")]
    [InlineData("\"displayName\": { \"a\": 1 }")]
    [InlineData("\"emails\": [ { \"type\": \"work\", \"value\": 42 } ]")]
    [InlineData("\"emails\": [ { \"type\": \"work\", \"value\": \"not an address\" } ]")]
    [InlineData("\"name\": \"flat\"")]
    [InlineData("\"externalId\": [\"x\"]")]
    [InlineData("\"urn:ietf:params:scim:schemas:extension:veritas:2.0:User\": { \"emailAliases\": 12 }")]
    [InlineData("\"urn:ietf:params:scim:schemas:extension:veritas:2.0:User\": \"flat\"")]
    public async Task Create_with_a_wrongly_typed_attribute_is_400(string attributeJson)
    {
        var userName = UniqueUserName("Typed");
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", {{attributeJson}} }
            """);

        await GatewayHost.AssertScimErrorAsync(response, 400);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);
    }

    [Theory]
    [InlineData("\"userName\": \"\"")]
    [InlineData("\"userName\": null")]
    public async Task Create_without_a_usable_user_name_is_400(string userNameJson)
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], {{userNameJson}} }
            """);

        await GatewayHost.AssertScimErrorAsync(response, 400);
    }

    /// <summary>The canonicaliser's leniency (RFC 7644 §3.12 allows it): a number where a string is due, a single value where a list is.</summary>
    [Fact]
    public async Task Create_coerces_a_number_to_a_string_and_a_single_email_to_a_list()
    {
        var email = $"single_{Guid.NewGuid():N}@{Domain}";
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": {{Random.Shared.Next(100_000, int.MaxValue)}}, "displayName": 5, "emails": "{{email}}" }
            """);

        var body = await GatewayHost.AssertScimAsync(response, 201);
        Assert.Equal(JsonValueKind.String, body["userName"]!.GetValueKind());
        Assert.Equal("5", (string?)body["displayName"]);
        Assert.Equal(email, (string?)body["emails"]![0]!["value"]);
        Assert.Equal(email, (await gateway.ReadAccountAsync(Tenant, (string)body["id"]!))!.PrimarySmtpAddress);
    }

    [Fact]
    public async Task Create_with_two_primary_values_is_400_and_a_patch_adding_a_primary_demotes_the_other()
    {
        var userName = UniqueUserName("Primaries");
        using var refused = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}",
              "phoneNumbers": [ { "value": "+1 555 0100", "type": "work", "primary": true }, { "value": "+1 555 0101", "type": "mobile", "primary": "True" } ] }
            """);
        await GatewayHost.AssertScimErrorAsync(refused, 400, "invalidValue");
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);

        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""
            { "op": "add", "path": "emails", "value": [ { "value": "home@contoso.example", "type": "home", "primary": true } ] }
            """));

        var primaries = patched["emails"]!.AsArray().Where(e => (bool?)e!["primary"] == true).Select(e => (string?)e!["value"]);
        Assert.Equal(["home@contoso.example"], primaries);
    }

    [Fact]
    public async Task Too_long_user_name_is_400_invalidValue()
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateUser(new string('u', 600) + "@" + Domain));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
    }

    [Fact]
    public async Task Too_many_aliases_is_a_400_and_nothing_is_written()
    {
        var userName = UniqueUserName("Many");
        var aliases = string.Join(',', Enumerable.Range(0, 501).Select(i => $"a{i}@m.example"));
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateUser(userName, aliasesJson: $"\"{aliases}\""));

        await GatewayHost.AssertScimErrorAsync(response, 400);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);
    }

    [Fact]
    public async Task Patch_without_path_accepts_full_urn_keys_and_the_extension_object()
    {
        var id = (string)(await NewUserAsync())["id"]!;
        var alias1 = $"urnkey_{Guid.NewGuid():N}@{Domain}";
        var alias2 = $"extobj_{Guid.NewGuid():N}@{Domain}";

        var byUrnKey = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Add", "value": { "{{AliasPath}}": "smtp:{{alias1}}", "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "Urn Keys" } }
            """));
        Assert.Equal("smtp:" + alias1, (string?)byUrnKey[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal("Urn Keys", (string?)byUrnKey["displayName"]);

        var byObject = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Replace", "value": { "{{GatewayHost.VeritasSchema}}": { "emailAliases": "smtp:{{alias2}}" } } }
            """));
        Assert.Equal("smtp:" + alias2, (string?)byObject[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal([alias2], (await gateway.ReadAccountAsync(Tenant, id))!.Aliases);

        // Keys are applied, never kept as they came.
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.DoesNotContain(read, p => p.Key.StartsWith("urn:", StringComparison.Ordinal) && p.Key != GatewayHost.VeritasSchema && p.Key.Contains("emailAliases", StringComparison.Ordinal));
        Assert.DoesNotContain(read, p => p.Key.Contains("displayName", StringComparison.Ordinal) && p.Key != "displayName");
    }

    [Fact]
    public async Task Patch_message_keys_and_op_names_in_any_case_and_a_charset_are_accepted()
    {
        var id = (string)(await NewUserAsync())["id"]!;

        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, """
            {
              "Schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "operations": [
                { "OP": "REPLACE", "Path": "displayName", "Value": "Shouted" },
                { "op": "add", "path": "name.givenName", "value": "Quiet" }
              ]
            }
            """, contentType: "application/scim+json; charset=utf-8");

        var body = await GatewayHost.AssertScimAsync(response, 200);
        Assert.Equal("Shouted", (string?)body["displayName"]);
        Assert.Equal("Quiet", (string?)body["name"]!["givenName"]);
    }

    [Fact]
    public async Task Patch_add_of_an_emails_list_merges_by_type()
    {
        var id = (string)(await NewUserAsync())["id"]!;
        var home = $"home_{Guid.NewGuid():N}@{Domain}";

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Add", "path": "emails", "value": [ { "type": "home", "value": "{{home}}" } ] }
            """));

        var emails = patched["emails"]!.AsArray();
        Assert.Equal(2, emails.Count);
        Assert.Contains(emails, e => (string?)e!["value"] == home && (string?)e["type"] == "home");
        Assert.NotEqual(home, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        Assert.True(JsonNode.DeepEquals(patched, await gateway.GetUserAsync(Tenant, Token, id)));
    }

    [Fact]
    public async Task Patch_remove_of_the_aliases_releases_them_all()
    {
        var alias = $"gone_{Guid.NewGuid():N}@{Domain}";
        var id = (string)(await NewUserAsync($"\"smtp:{alias}\""))["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""{ "op": "Remove", "path": "{{AliasPath}}" }"""));

        Assert.Null(patched[GatewayHost.VeritasSchema]?["emailAliases"]);
        Assert.Empty((await gateway.ReadAccountAsync(Tenant, id))!.Aliases);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"{AliasPath} eq \"{alias}\""))["totalResults"]!);
    }

    [Fact]
    public async Task Patch_remove_of_the_work_email_clears_the_primary_address()
    {
        var id = (string)(await NewUserAsync())["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""{ "op": "Remove", "path": "emails[type eq \"work\"]" }"""));

        Assert.Null(patched["emails"]);
        Assert.Null((await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
    }

    [Fact]
    public async Task Patch_of_the_user_name_to_one_in_use_is_409_and_a_new_one_is_found_by_it()
    {
        var taken = UniqueUserName("Taken");
        await gateway.CreateUserAsync(Tenant, Token, CreateUser(taken));
        var id = (string)(await NewUserAsync())["id"]!;

        using (var conflict = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch($$"""{ "op": "Replace", "path": "userName", "value": "{{taken}}" }""")))
        {
            await GatewayHost.AssertScimErrorAsync(conflict, 409, "uniqueness");
        }

        var renamed = UniqueUserName("Renamed");
        await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""{ "op": "Replace", "path": "userName", "value": "{{renamed}}" }"""));
        Assert.Equal(id, (string?)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{renamed}\""))["Resources"]![0]!["id"]);
    }

    [Fact]
    public async Task Read_only_and_required_attributes_are_protected_and_a_put_body_id_is_ignored()
    {
        var id = (string)(await NewUserAsync())["id"]!;

        using (var removeUserName = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""{ "op": "Remove", "path": "userName" }""")))
        {
            await GatewayHost.AssertScimErrorAsync(removeUserName, 400, "mutability");
        }

        using (var replaceId = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""{ "op": "Replace", "path": "id", "value": "X" }""")))
        {
            await GatewayHost.AssertScimErrorAsync(replaceId, 400, "mutability");
        }

        var userName = UniqueUserName("PutId");
        using var put = await gateway.SendAsync(HttpMethod.Put, $"{Users}/{id}", Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "SOMETHING-ELSE", "userName": "{{userName}}" }
            """);
        Assert.Equal(id, (string?)(await GatewayHost.AssertScimAsync(put, 200))["id"]);
        Assert.Equal(userName, (string?)(await gateway.GetUserAsync(Tenant, Token, id))["userName"]);
    }

    [Fact]
    public async Task Patch_remove_of_the_work_email_value_keeps_the_entry_and_clears_the_address()
    {
        var id = (string)(await NewUserAsync())["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""{ "op": "Remove", "path": "emails[type eq \"work\"].value" }"""));

        var email = Assert.Single(patched["emails"]!.AsArray())!;
        Assert.Null(email["value"]);
        Assert.Equal("work", (string?)email["type"]);
        Assert.Null((await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
    }

    [Fact]
    public async Task Enterprise_extension_and_attributes_without_a_column_are_kept_and_returned()
    {
        var userName = UniqueUserName("Enterprise");
        var created = await gateway.CreateUserAsync(Tenant, Token, $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "userName": "{{userName}}",
              "active": true,
              "title": "Archivist",
              "preferredLanguage": "en-GB",
              "phoneNumbers": [ { "type": "work", "value": "+44 20 7946 0000" } ],
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "employeeNumber": "E-1001", "department": "Records" }
            }
            """);

        var read = await gateway.GetUserAsync(Tenant, Token, (string)created["id"]!);
        Assert.Equal("Archivist", (string?)read["title"]);
        Assert.Equal("en-GB", (string?)read["preferredLanguage"]);
        Assert.Equal("+44 20 7946 0000", (string?)read["phoneNumbers"]![0]!["value"]);
        Assert.Equal("E-1001", (string?)read["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["employeeNumber"]);
        Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", read["schemas"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public async Task Password_is_never_returned()
    {
        var userName = UniqueUserName("Secret");
        var created = await gateway.CreateUserAsync(Tenant, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", "password": "Pa55w0rd!" }
            """);

        Assert.Null(created["password"]);
        Assert.DoesNotContain("Pa55w0rd", (await gateway.GetUserAsync(Tenant, Token, (string)created["id"]!)).ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpMethodKind.Get)]
    [InlineData(HttpMethodKind.Put)]
    [InlineData(HttpMethodKind.Patch)]
    [InlineData(HttpMethodKind.Delete)]
    public async Task Unknown_id_is_404_for_every_method(HttpMethodKind kind)
    {
        var (method, body) = kind switch
        {
            HttpMethodKind.Get => (HttpMethod.Get, (string?)null),
            HttpMethodKind.Put => (HttpMethod.Put, CreateUser(UniqueUserName("Ghost"))),
            HttpMethodKind.Patch => (HttpMethod.Patch, Patch("""{ "op": "Replace", "path": "displayName", "value": "x" }""")),
            _ => (HttpMethod.Delete, null),
        };
        using var response = await gateway.SendAsync(method, $"{Users}/NO-SUCH-ID-{Guid.NewGuid():N}", Token, body);

        await GatewayHost.AssertScimErrorAsync(response, 404);
    }

    [Fact]
    public async Task Listing_without_a_filter_pages_and_clamps_count()
    {
        await NewUserAsync();

        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Users}?count=100000&startIndex=0", Token);
        var body = await GatewayHost.AssertScimAsync(response, 200);

        Assert.True((int)body["totalResults"]! >= 1);
        Assert.Equal(1, (int)body["startIndex"]!);
        Assert.InRange((int)body["itemsPerPage"]!, 1, 200);
    }

    [Fact]
    public async Task Overlong_filter_is_400_invalidFilter()
    {
        var filter = string.Join(" or ", Enumerable.Range(0, 300).Select(i => $"userName eq \"u{i}@x.example\""));
        using var response = await gateway.SendAsync(HttpMethod.Post, $"{Users}/.search", Token, $$"""{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "{{filter.Replace("\"", "\\\"", StringComparison.Ordinal)}}" }""");

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidFilter");
    }

    [Fact]
    public async Task Deeply_nested_filter_is_400_invalidFilter()
    {
        var filter = new string('(', 100) + "userName eq \"x\"" + new string(')', 100);
        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Users}?filter={Uri.EscapeDataString(filter)}", Token);

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidFilter");
    }

    [Fact]
    public async Task Filter_values_with_quotes_and_sql_syntax_are_data_not_code()
    {
        var found = await gateway.QueryAsync(Tenant, Token, "userName eq \"x\\\"' OR 1=1 --\" or displayName co \"'; DROP TABLE ArchiveAccount; --\"");

        Assert.Equal(0, (int)found["totalResults"]!);
        Assert.True((int)(await gateway.QueryAsync(Tenant, Token, "userName pr"))["totalResults"]! >= 0);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_alias_by_two_users_leave_it_with_exactly_one()
    {
        var alias = $"claimed_{Guid.NewGuid():N}@{Domain}";
        var first = (string)(await NewUserAsync())["id"]!;
        var second = (string)(await NewUserAsync())["id"]!;

        var claims = new[] { first, second }.Select(async id =>
        {
            using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch($$"""{ "op": "Add", "path": "{{AliasPath}}", "value": "smtp:{{alias}}" }"""));
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(claims);

        Assert.Equal([200, 409], statuses.Order());
        var owners = await gateway.QueryAsync(Tenant, Token, $"{AliasPath} eq \"{alias}\"");
        Assert.Equal(1, (int)owners["totalResults"]!);
    }

    public enum HttpMethodKind
    {
        Get,
        Put,
        Patch,
        Delete,
    }
}
