using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Accounts that existed before the gateway (the demo seed) are found by userName and adopted, never duplicated.</summary>
public sealed class LegacyAdoptionTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "legacy";
    private const string AliceId = "DE000000000000000000000000A11CE1";

    private string Token => gateway.TokenLegacy;

    [Fact]
    public async Task Seeded_account_is_found_by_user_name_in_any_case_patched_in_place_and_not_duplicated()
    {
        var found = await gateway.QueryAsync(Tenant, Token, "userName eq \"Alice.Adams@Demo.Example.com\"");
        Assert.Equal(1, (int)found["totalResults"]!);
        var alice = found["Resources"]![0]!;
        Assert.Equal(AliceId, (string?)alice["id"]);
        Assert.Equal("alice.adams@demo.example.com", (string?)alice["userName"]);
        Assert.Equal("alice.adams@demo.example.com", (string?)alice["emails"]![0]!["value"]);
        Assert.True((bool)alice["active"]!);

        // What the archive had before SCIM: the seeded aliases.
        var aliases = ((string?)alice[GatewayHost.VeritasSchema]?["emailAliases"] ?? string.Empty).Split(',');
        Assert.Contains("alice@demo.example.com", aliases);
        Assert.Contains("alice.adams@demo-archive.example.com", aliases);

        var externalId = Guid.NewGuid().ToString();
        var patched = await gateway.PatchUserAsync(Tenant, Token, AliceId, Patch(
            $$"""{ "op": "Add", "path": "externalId", "value": "{{externalId}}" }""",
            """{ "op": "Replace", "path": "displayName", "value": "Alice Adams (Entra)" }"""));
        Assert.Equal(AliceId, (string?)patched["id"]);
        Assert.Equal("Alice Adams (Entra)", (string?)patched["displayName"]);
        Assert.Equal(
            ["alice.adams@demo-archive.example.com", "alice@demo.example.com"],
            (await gateway.ReadAccountAsync(Tenant, AliceId))!.Aliases.Order(StringComparer.Ordinal));

        var byExternalId = await gateway.QueryAsync(Tenant, Token, $"externalId eq \"{externalId}\"");
        Assert.Equal(AliceId, (string?)byExternalId["Resources"]![0]!["id"]);
        var everyAlice = await gateway.QueryAsync(Tenant, Token, "userName sw \"alice\"");
        Assert.Equal(1, (int)everyAlice["totalResults"]!);

        // Entra never creates her again: a POST with her userName is a conflict, not a second account.
        using var duplicate = await gateway.SendAsync(HttpMethod.Post, $"/scim/{Tenant}/v2/Users", Token, CreateUser("alice.adams@demo.example.com"));
        await GatewayHost.AssertScimErrorAsync(duplicate, 409, "uniqueness");
    }

    [Fact]
    public async Task Entra_proxy_addresses_on_a_seeded_account_keep_the_shared_alias_and_release_the_missing_one()
    {
        const string daveId = "DE000000000000000000000000DA7ED1";
        var dave = await gateway.QueryAsync(Tenant, Token, "userName eq \"dave.davis@demo.example.com\"");
        Assert.Equal(daveId, (string?)dave["Resources"]![0]!["id"]);
        var before = await gateway.ReadAccountAsync(Tenant, daveId);
        Assert.Empty(before!.Aliases);

        const string raw = "SMTP:dave.davis@demo.example.com,smtp:dave@demo.example.com,smtp:d.davis@demo-archive.example.com";
        var patched = await gateway.PatchUserAsync(Tenant, Token, daveId, Patch(
            $$"""{ "op": "Add", "path": "{{GatewayHost.VeritasSchema}}:emailAliases", "value": "{{raw}}" }"""));
        Assert.Equal(raw, (string?)patched[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal(["d.davis@demo-archive.example.com", "dave@demo.example.com"], (await gateway.ReadAccountAsync(Tenant, daveId))!.Aliases.Order(StringComparer.Ordinal));

        const string next = "SMTP:dave.davis@demo.example.com,smtp:dave@demo.example.com";
        var again = await gateway.PatchUserAsync(Tenant, Token, daveId, Patch(
            $$"""{ "op": "Replace", "path": "{{GatewayHost.VeritasSchema}}:emailAliases", "value": "{{next}}" }"""));
        Assert.Equal(next, (string?)again[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal(["dave@demo.example.com"], (await gateway.ReadAccountAsync(Tenant, daveId))!.Aliases);
        Assert.Equal(daveId, (string?)again["id"]);
    }

    [Fact]
    public async Task Seeded_disabled_account_is_readable_as_inactive_and_the_deleted_one_is_not_there()
    {
        var bob = await gateway.QueryAsync(Tenant, Token, "userName eq \"bob.brown@demo.example.com\"");
        Assert.Equal(1, (int)bob["totalResults"]!);
        Assert.False((bool)bob["Resources"]![0]!["active"]!);

        var carol = await gateway.QueryAsync(Tenant, Token, "userName eq \"carol.clark@demo.example.com\"");
        Assert.Equal(0, (int)carol["totalResults"]!);
        using var get = await gateway.SendAsync(HttpMethod.Get, $"/scim/{Tenant}/v2/Users/DE000000000000000000000000CA201C", Token);
        await GatewayHost.AssertScimErrorAsync(get, 404);
    }
}
