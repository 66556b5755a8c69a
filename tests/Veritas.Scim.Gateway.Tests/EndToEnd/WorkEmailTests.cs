using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// The work e-mail is the archive's primary SMTP address, the column Entra's
/// <c>emails[type eq "work"].value eq</c> lookup is answered from. A user may have more work
/// addresses (RFC 7643 §4.1.2 sets no limit; Microsoft's SCIM reference tests create users with
/// two): the one marked primary goes to the column, the others to the user map, and the lookup
/// and every other query path find the user by each of them, in any letter case.
/// </summary>
public sealed class WorkEmailTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

    private string Token => gateway.TokenA;

    [Fact]
    public async Task A_user_with_two_work_addresses_as_Microsofts_reference_tests_create_is_found_by_each()
    {
        var userName = UniqueUserName("twowork");
        var first = UniqueUserName("first");
        var second = UniqueUserName("second");
        var body = $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{userName}}",
              "emails": [
                { "type": "work", "Primary": true, "value": "{{first}}" },
                { "type": "Work", "Primary": false, "value": "{{second}}" }
              ],
              "meta": { "created": "2019-09-18T18:15:26.5788954+00:00", "resourceType": "User" },
              "roles": []
            }
            """;

        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, body);

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var id = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["id"]!;
        Assert.Equal(first, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.Equal([first, second], read["emails"]!.AsArray().Select(e => (string)e!["value"]!));
        await AssertFoundByEveryPathAsync(id, first);
        await AssertFoundByEveryPathAsync(id, second);
        await AssertFoundByEveryPathAsync(id, second.ToUpperInvariant());
    }

    [Fact]
    public async Task A_patch_adds_and_removes_a_second_work_address_and_the_lookup_follows()
    {
        var userName = UniqueUserName("onework");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        var id = (string)created["id"]!;
        var second = UniqueUserName("added");

        var added = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Add", "path": "emails", "value": [ { "value": "{{second}}", "type": "work" } ] }
            """));

        Assert.Equal(2, added["emails"]!.AsArray().Count);
        Assert.Equal(userName, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        await AssertFoundByEveryPathAsync(id, second);
        await AssertFoundByEveryPathAsync(id, userName);

        await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Remove", "path": "emails[value eq \"{{second}}\"]" }
            """));

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"emails[type eq \"work\"].value eq \"{second}\""))["totalResults"]!);
        await AssertFoundByEveryPathAsync(id, userName);
    }

    [Fact]
    public async Task A_put_whose_second_work_address_is_primary_puts_that_one_in_the_column()
    {
        var userName = UniqueUserName("putwork");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        var id = (string)created["id"]!;
        var other = UniqueUserName("other");

        using var response = await gateway.SendAsync(HttpMethod.Put, $"{Users}/{id}", Token, $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{userName}}",
              "emails": [ { "value": "{{userName}}", "type": "work" }, { "value": "{{other}}", "type": "WORK", "primary": true } ]
            }
            """);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(other, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        await AssertFoundByEveryPathAsync(id, userName);
        await AssertFoundByEveryPathAsync(id, other);
    }

    [Fact]
    public async Task A_second_work_address_that_is_no_address_is_invalidValue_and_nothing_is_written()
    {
        var userName = UniqueUserName("badwork");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName));
        var id = (string)created["id"]!;

        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""
            { "op": "Add", "path": "emails", "value": [ { "value": "not an address", "type": "work" } ] }
            """));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.Equal((string?)created["meta"]!["version"], (string?)read["meta"]!["version"]);
        Assert.True(JsonNode.DeepEquals(created["emails"], read["emails"]), read["emails"]?.ToJsonString());
    }

    /// <summary>
    /// Entra's indexed lookup, the same inside an <c>and</c>, the pushed query of an <c>or</c>, and
    /// a filter with no index at all (the evaluator over every user) each answer the user.
    /// </summary>
    private async Task AssertFoundByEveryPathAsync(string id, string address)
    {
        string[] filters =
        [
            $"emails[type eq \"work\"].value eq \"{address}\"",
            $"emails[type eq \"work\"].value eq \"{address}\" and active eq true",
            $"emails[type eq \"work\"].value eq \"{address}\" or userName eq \"nobody@nowhere.test\"",
            $"emails[type eq \"work\" and value eq \"{address}\"] or title pr",
        ];
        foreach (var filter in filters)
        {
            var found = await gateway.QueryAsync(Tenant, Token, filter);
            Assert.True(found["Resources"]?.AsArray().Any(r => (string?)r!["id"] == id) == true, $"{filter}: {found.ToJsonString()}");
        }
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

    /// <summary>
    /// Found by the SCIMMY differential: marking a missing work e-mail primary created an entry
    /// without an address, which was then chosen over the real address and emptied the column.
    /// </summary>
    [Fact]
    public async Task A_work_entry_without_an_address_marked_primary_leaves_the_address_in_the_column()
    {
        var userName = UniqueUserName("keepsaddress");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        var before = (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress;
        Assert.NotNull(before);

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch(
            """{ "op": "Add", "path": "emails", "value": [ { "type": "work", "primary": true } ] }"""));

        Assert.Equal(before, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        Assert.True(JsonNode.DeepEquals(patched, await gateway.GetUserAsync(Tenant, Token, id)), "GET differs from the PATCH answer");
        await AssertFoundByEveryPathAsync(id, before);
    }

    /// <summary>Found by the SCIMMY differential: the key was stored as an attribute named after the path.</summary>
    [Fact]
    public async Task A_patch_without_a_path_whose_key_is_a_value_filter_sets_the_work_address()
    {
        var userName = UniqueUserName("nopathkey");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        var moved = UniqueUserName("nopathmoved");

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch(
            $$"""{ "op": "Replace", "value": { "emails[type eq \"work\"].value": "{{moved}}" } }"""));

        Assert.Equal(moved, (await gateway.ReadAccountAsync(Tenant, id))!.PrimarySmtpAddress);
        Assert.DoesNotContain(patched, property => property.Key.Contains('[', StringComparison.Ordinal));
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.True(JsonNode.DeepEquals(patched, read), $"GET differs from the PATCH answer:\n{patched}\n{read}");
        await AssertFoundByEveryPathAsync(id, moved);
    }
}
