using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// The work e-mail is the archive's primary SMTP address, the column Entra's
/// <c>emails[type eq "work"].value eq</c> lookup is answered from. An account holds one: a write
/// that would leave two is refused on every path with nothing written, so that the lookup and the
/// filter evaluator never disagree about which account has an address.
/// </summary>
public sealed class WorkEmailTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

    private string Token => gateway.TokenA;

    [Fact]
    public async Task A_create_with_two_work_addresses_is_invalidValue_and_creates_nothing()
    {
        var userName = UniqueUserName("twowork");
        var body = $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{userName}}",
              "emails": [
                { "value": "{{UniqueUserName("first")}}", "type": "work", "primary": true },
                { "value": "{{UniqueUserName("second")}}", "type": "Work" }
              ]
            }
            """;

        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, body);

        var error = await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
        Assert.Contains("type \"work\"", (string?)error["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);
    }

    [Fact]
    public async Task A_patch_adding_a_second_work_address_is_refused_and_the_account_is_unchanged()
    {
        var userName = UniqueUserName("onework");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        var id = (string)created["id"]!;
        var second = UniqueUserName("added");

        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch($$"""
            { "op": "Add", "path": "emails", "value": [ { "value": "{{second}}", "type": "work" } ] }
            """));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.Equal((string?)created["meta"]!["version"], (string?)read["meta"]!["version"]);
        Assert.True(JsonNode.DeepEquals(created["emails"], read["emails"]), read["emails"]?.ToJsonString());
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{second}\""))["totalResults"]!);
    }

    [Fact]
    public async Task A_put_with_two_work_addresses_is_refused_and_the_account_is_unchanged()
    {
        var userName = UniqueUserName("putwork");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        var id = (string)created["id"]!;

        using var response = await gateway.SendAsync(HttpMethod.Put, $"{Users}/{id}", Token, $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{userName}}",
              "emails": [ { "value": "{{userName}}", "type": "work" }, { "value": "{{UniqueUserName("other")}}", "type": "WORK" } ]
            }
            """);

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
        Assert.Equal((string?)created["meta"]!["version"], (string?)(await gateway.GetUserAsync(Tenant, Token, id))["meta"]!["version"]);
    }

    [Fact]
    public async Task Entra_changing_the_work_address_and_adding_other_types_is_found_by_the_new_address_only()
    {
        var userName = UniqueUserName("moves");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        var moved = UniqueUserName("moved");
        var home = UniqueUserName("home");

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch(
            $$"""{ "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "{{moved}}" }""",
            $$"""{ "op": "Add", "path": "emails", "value": [ { "value": "{{home}}", "type": "home" } ] }"""));

        Assert.Equal(2, patched["emails"]!.AsArray().Count);
        Assert.Equal(moved, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        var byNew = await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{moved}\"");
        Assert.Equal(id, (string?)Assert.Single(byNew["Resources"]!.AsArray())!["id"]);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{userName}\""))["totalResults"]!);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{home}\""))["totalResults"]!);
    }
}
