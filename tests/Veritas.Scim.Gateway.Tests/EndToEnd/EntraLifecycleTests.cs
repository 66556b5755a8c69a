using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Entra's provisioning cycle against the real gateway, request by request (DESIGN.md §5).</summary>
public sealed class EntraLifecycleTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

    private string Token => gateway.TokenA;

    [Fact]
    public async Task Test_connection_query_for_a_random_guid_is_an_empty_list_response()
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Users}?filter={Uri.EscapeDataString($"userName eq \"{Guid.NewGuid()}\"")}", Token);

        var body = await GatewayHost.AssertScimAsync(response, 200);
        Assert.Equal(0, (int)body["totalResults"]!);
        Assert.Equal(GatewayHost.ListSchema, (string?)body["schemas"]![0]);
        Assert.Empty(body["Resources"]?.AsArray() ?? []);

        // Spaces encoded as '+', the way form-style encoders write the same query.
        using var plus = await gateway.SendAsync(HttpMethod.Get, $"{Users}?filter=userName+eq+%22{Guid.NewGuid()}%22", Token);
        Assert.Equal(0, (int)(await GatewayHost.AssertScimAsync(plus, 200))["totalResults"]!);
    }

    [Fact]
    public async Task Query_then_create_then_every_query_Entra_sends_finds_the_user()
    {
        var userName = UniqueUserName("Create");
        var externalId = Guid.NewGuid().ToString();
        var workEmail = $"work_{Guid.NewGuid():N}@{Domain}";

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);

        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, externalId, workEmail));
        var id = (string)created["id"]!;
        Assert.Equal(userName, (string?)created["userName"]);
        Assert.Equal(externalId, (string?)created["externalId"]);
        Assert.True((bool)created["active"]!);
        Assert.Equal(workEmail, (string?)created["emails"]![0]!["value"]);
        Assert.Equal("User", (string?)created["meta"]!["resourceType"]);

        string[] filters =
        [
            $"userName eq \"{userName}\"",
            $"userName eq \"{userName.ToUpperInvariant()}\"",
            $"externalId eq \"{externalId}\"",
            $"externalId eq {externalId}",
            $"emails[type eq \"work\"].value eq \"{workEmail}\"",
            $"id eq \"{id}\"",
            $"userName eq \"{userName}\" and externalId eq \"{externalId}\"",
        ];
        foreach (var filter in filters)
        {
            var found = await gateway.QueryAsync(Tenant, Token, filter);
            Assert.True((int)found["totalResults"]! == 1, filter);
            Assert.Equal(id, (string?)found["Resources"]![0]!["id"]);
        }

        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.True(JsonNode.DeepEquals(created, read), $"GET differs from the POST answer:\n{created}\n{read}");
    }

    [Fact]
    public async Task Patch_replace_without_path_with_dotted_keys_and_string_boolean_applies_every_attribute()
    {
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("NoPath")));
        var id = (string)created["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""
            {
              "op": "Replace",
              "value": {
                "displayName": "Renamed User",
                "name.givenName": "NewGiven",
                "name.familyName": "NewFamily",
                "active": "False"
              }
            }
            """));

        Assert.Equal("Renamed User", (string?)patched["displayName"]);
        Assert.Equal("NewGiven", (string?)patched["name"]!["givenName"]);
        Assert.Equal("NewFamily", (string?)patched["name"]!["familyName"]);
        Assert.False((bool)patched["active"]!);
        Assert.Equal(id, (string?)patched["id"]);

        var account = await gateway.ReadAccountAsync(Tenant, id);
        Assert.NotNull(account);
        Assert.Equal("NewGiven", account.FirstName);
        Assert.Equal("NewFamily", account.LastName);
        Assert.Equal("Renamed User", account.DisplayName);
        Assert.Equal(Veritas.Scim.Translation.Archive.AccountStatus.Disabled, account.Status);

        // Read-back is the resource, not the PATCH's dotted keys.
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.True(JsonNode.DeepEquals(patched, read));
        Assert.DoesNotContain(read, p => p.Key.Contains('.', StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.False, read["active"]!.GetValueKind());
    }

    [Fact]
    public async Task Patch_of_several_paths_as_in_Microsofts_tutorial_updates_the_work_email_and_the_name()
    {
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("Paths")));
        var id = (string)created["id"]!;
        var newEmail = $"updated_{Guid.NewGuid():N}@{Domain}";

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch(
            $$"""{ "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "{{newEmail}}" }""",
            """{ "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" }"""));

        Assert.Equal(newEmail, (string?)patched["emails"]![0]!["value"]);
        Assert.Equal("updatedFamilyName", (string?)patched["name"]!["familyName"]);
        Assert.Equal(newEmail, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        var found = await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{newEmail}\"");
        Assert.Equal(id, (string?)found["Resources"]![0]!["id"]);
    }

    [Fact]
    public async Task Patch_add_of_the_work_email_creates_the_entry_when_it_is_missing()
    {
        var userName = UniqueUserName("AddMail");
        var created = await gateway.CreateUserAsync(Tenant, Token, $$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", "active": true }
            """);
        var id = (string)created["id"]!;
        var email = $"added_{Guid.NewGuid():N}@{Domain}";

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch(
            $$"""{ "op": "Add", "path": "emails[type eq \"work\"].value", "value": "{{email}}" }"""));

        var emails = patched["emails"]!.AsArray();
        Assert.Single(emails);
        Assert.Equal(email, (string?)emails[0]!["value"]);
        Assert.Equal("work", (string?)emails[0]!["type"]);
    }

    [Fact]
    public async Task Disable_with_the_string_False_keeps_the_user_readable_and_queryable()
    {
        var userName = UniqueUserName("Disable");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""{ "op": "Replace", "path": "active", "value": "False" }"""));

        Assert.False((bool)patched["active"]!);
        Assert.False((bool)(await gateway.GetUserAsync(Tenant, Token, id))["active"]!);
        var found = await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\"");
        Assert.Equal(1, (int)found["totalResults"]!);
        Assert.False((bool)found["Resources"]![0]!["active"]!);

        var enabled = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""{ "op": "replace", "path": "active", "value": "True" }"""));
        Assert.True((bool)enabled["active"]!);
    }

    [Fact]
    public async Task Patch_that_changes_nothing_keeps_the_version()
    {
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("Noop")));
        var id = (string)created["id"]!;

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch("""{ "op": "Replace", "path": "displayName", "value": "Test User" }"""));

        Assert.Equal((string?)created["meta"]!["version"], (string?)patched["meta"]!["version"]);
    }

    [Fact]
    public async Task Put_replaces_the_user()
    {
        var userName = UniqueUserName("Put");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;

        using var response = await gateway.SendAsync(HttpMethod.Put, $"{Users}/{id}", Token, $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "{{id}}",
              "userName": "{{userName}}",
              "displayName": "Replaced",
              "active": false,
              "name": { "givenName": "Put", "familyName": "Replaced" },
              "emails": [ { "type": "work", "value": "{{userName}}", "primary": true } ]
            }
            """);

        var body = await GatewayHost.AssertScimAsync(response, 200);
        Assert.Equal("Replaced", (string?)body["displayName"]);
        Assert.False((bool)body["active"]!);
        Assert.Equal("Put", (string?)body["name"]!["givenName"]);
        Assert.Null(body["externalId"]);
        Assert.True(JsonNode.DeepEquals(body, await gateway.GetUserAsync(Tenant, Token, id)));
    }

    [Fact]
    public async Task Delete_is_204_then_get_and_delete_are_404_and_the_user_name_is_free_again()
    {
        var userName = UniqueUserName("Delete");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;

        using (var deleted = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{id}", Token))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
            Assert.Empty(await deleted.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }

        using (var get = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token))
        {
            await GatewayHost.AssertScimErrorAsync(get, 404);
        }

        using (var again = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{id}", Token))
        {
            await GatewayHost.AssertScimErrorAsync(again, 404);
        }

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);
        var recreated = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        Assert.NotEqual(id, (string?)recreated["id"]);
    }

    [Fact]
    public async Task Duplicate_user_name_in_any_case_is_409_uniqueness()
    {
        var userName = UniqueUserName("Dup");
        await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));

        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateUser(userName.ToUpperInvariant()));

        await GatewayHost.AssertScimErrorAsync(response, 409, "uniqueness");
    }

    [Fact]
    public async Task Application_json_content_type_and_attribute_names_in_any_case_are_accepted()
    {
        var userName = UniqueUserName("Case");
        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "UserName": "{{userName}}",
              "Active": true,
              "Emails": [ { "Primary": true, "Type": "work", "Value": "{{userName}}" } ]
            }
            """, contentType: "application/json");

        var body = await GatewayHost.AssertScimAsync(response, 201);
        Assert.Equal(userName, (string?)body["userName"]);
        Assert.Equal(userName, (string?)body["emails"]![0]!["value"]);
    }

    [Fact]
    public async Task If_match_with_the_current_etag_succeeds_and_a_stale_one_is_412()
    {
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("ETag")));
        var id = (string)created["id"]!;
        var etag = (string)created["meta"]!["version"]!;
        var patch = Patch("""{ "op": "Replace", "path": "displayName", "value": "Changed once" }""");

        using (var ok = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, patch, configure: r => r.Headers.TryAddWithoutValidation("If-Match", etag)))
        {
            var body = await GatewayHost.AssertScimAsync(ok, 200);
            Assert.NotEqual(etag, (string?)body["meta"]!["version"]);
            Assert.Equal((string?)body["meta"]!["version"], ok.Headers.ETag?.ToString());
        }

        var stale = Patch("""{ "op": "Replace", "path": "displayName", "value": "Changed twice" }""");
        using (var mismatch = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, stale, configure: r => r.Headers.TryAddWithoutValidation("If-Match", etag)))
        {
            await GatewayHost.AssertScimErrorAsync(mismatch, 412);
        }

        using (var delete = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{id}", Token, configure: r => r.Headers.TryAddWithoutValidation("If-Match", etag)))
        {
            await GatewayHost.AssertScimErrorAsync(delete, 412);
        }

        Assert.Equal("Changed once", (string?)(await gateway.GetUserAsync(Tenant, Token, id))["displayName"]);
    }

    [Fact]
    public async Task Tenant_url_with_aadOptscim062020_serves_the_whole_cycle()
    {
        var userName = UniqueUserName("Flag");
        const string flagged = "/scim/tenant-a/v2/Users?aadOptscim062020";

        using (var test = await gateway.SendAsync(HttpMethod.Get, $"{flagged}&filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}", Token))
        {
            Assert.Equal(0, (int)(await GatewayHost.AssertScimAsync(test, 200))["totalResults"]!);
        }

        string id;
        using (var post = await gateway.SendAsync(HttpMethod.Post, flagged, Token, CreateUser(userName)))
        {
            id = (string)(await GatewayHost.AssertScimAsync(post, 201))["id"]!;
        }

        // With the flag, Entra sends real booleans and a value object for no-path operations.
        using (var patch = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}?aadOptscim062020", Token, Patch(
            """{ "op": "replace", "path": "active", "value": false }""",
            """{ "op": "add", "value": { "displayName": "Flagged" } }""")))
        {
            var body = await GatewayHost.AssertScimAsync(patch, 200);
            Assert.False((bool)body["active"]!);
            Assert.Equal("Flagged", (string?)body["displayName"]);
        }

        using var delete = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{id}?aadOptscim062020", Token);
        Assert.Equal(204, (int)delete.StatusCode);
    }
}
