using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>emailAliases in every form Entra sends: read back exactly as written, stored as alias rows.</summary>
public sealed class EmailAliasTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";
    private const string AliasFilterPath = GatewayHost.VeritasSchema + ":emailAliases";

    private string Token => gateway.TokenA;

    private static string Unique(string name) => $"{name}_{Guid.NewGuid():N}@{Domain}";

    [Fact]
    public async Task Proxy_addresses_string_is_read_back_byte_for_byte_and_stored_as_smtp_rows()
    {
        var userName = Unique("primary");
        var alias1 = Unique("alias1");
        var alias2 = Unique("Alias2");
        var raw = $"SMTP:{userName},smtp:{alias1},x500:/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=abc123,smtp:{alias2}";

        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: JsonValue.Create(raw).ToJsonString()));
        var id = (string)created["id"]!;

        Assert.Equal(raw, (string?)created[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal(raw, (string?)(await gateway.GetUserAsync(Tenant, Token, id))[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Contains(GatewayHost.VeritasSchema, created["schemas"]!.AsArray().Select(s => (string?)s));

        var account = await gateway.ReadAccountAsync(Tenant, id);
        Assert.Equal([alias1, alias2], account!.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        foreach (var alias in new[] { alias1, alias2.ToUpperInvariant() })
        {
            var found = await gateway.QueryAsync(Tenant, Token, $"{AliasFilterPath} eq \"{alias}\"");
            Assert.True((int)found["totalResults"]! == 1, alias);
            Assert.Equal(id, (string?)found["Resources"]![0]!["id"]);
        }
    }

    [Fact]
    public async Task Array_of_strings_is_read_back_as_written()
    {
        var alias1 = Unique("arr1");
        var alias2 = Unique("arr2");
        var written = new JsonArray(alias1, "smtp:" + alias2);

        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("strings"), aliasesJson: written.ToJsonString()));
        var id = (string)created["id"]!;

        var read = (await gateway.GetUserAsync(Tenant, Token, id))[GatewayHost.VeritasSchema]!["emailAliases"];
        Assert.True(JsonNode.DeepEquals(written, read), read?.ToJsonString());
        Assert.Equal([alias1, alias2], (await gateway.ReadAccountAsync(Tenant, id))!.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Array_of_value_objects_set_by_patch_is_read_back_as_written()
    {
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("objects"))))["id"]!;
        var alias1 = Unique("obj1");
        var alias2 = Unique("obj2");

        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Add", "path": "{{AliasFilterPath}}", "value": [ { "value": "{{alias1}}" }, { "value": "SMTP:{{alias2}}" } ] }
            """));

        var expected = JsonNode.Parse($$"""[ { "value": "{{alias1}}" }, { "value": "SMTP:{{alias2}}" } ]""");
        Assert.True(JsonNode.DeepEquals(expected, patched[GatewayHost.VeritasSchema]!["emailAliases"]), patched.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, (await gateway.GetUserAsync(Tenant, Token, id))[GatewayHost.VeritasSchema]!["emailAliases"]));
        Assert.Equal([alias1, alias2], (await gateway.ReadAccountAsync(Tenant, id))!.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Patch_replacing_the_string_adds_new_and_releases_missing_aliases()
    {
        var kept = Unique("kept");
        var dropped = Unique("dropped");
        var added = Unique("added");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("replace"), aliasesJson: $"\"smtp:{kept},smtp:{dropped}\"")))["id"]!;

        var raw = $"smtp:{kept},smtp:{added}";
        var patched = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""
            { "op": "Replace", "path": "{{AliasFilterPath}}", "value": "{{raw}}" }
            """));

        Assert.Equal(raw, (string?)patched[GatewayHost.VeritasSchema]!["emailAliases"]);
        Assert.Equal([added, kept], (await gateway.ReadAccountAsync(Tenant, id))!.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"{AliasFilterPath} eq \"{dropped}\""))["totalResults"]!);

        // The released address can go to someone else at once.
        await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("taker"), aliasesJson: $"\"{dropped}\""));
    }

    [Fact]
    public async Task Alias_held_by_another_user_is_409_naming_the_address_with_nothing_changed_on_either_user()
    {
        var contested = Unique("contested");
        var owner = await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("owner"), aliasesJson: $"\"smtp:{contested}\""));
        var other = await gateway.CreateUserAsync(Tenant, Token, CreateUser(Unique("other"), aliasesJson: $"\"smtp:{Unique("own")}\""));
        var ownerId = (string)owner["id"]!;
        var otherId = (string)other["id"]!;
        var ownerAccount = await gateway.ReadAccountAsync(Tenant, ownerId);
        var otherAccount = await gateway.ReadAccountAsync(Tenant, otherId);

        using (var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{otherId}", Token, Patch(
            """{ "op": "Replace", "path": "displayName", "value": "Should not stick" }""",
            $$"""{ "op": "Replace", "path": "{{AliasFilterPath}}", "value": "smtp:{{contested.ToUpperInvariant()}}" }""")))
        {
            var error = await GatewayHost.AssertScimErrorAsync(response, 409, "uniqueness");
            Assert.Contains(contested, (string?)error["detail"], StringComparison.OrdinalIgnoreCase);
        }

        using (var post = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateUser(Unique("newcomer"), aliasesJson: $"[\"{contested}\"]")))
        {
            var error = await GatewayHost.AssertScimErrorAsync(post, 409, "uniqueness");
            Assert.Contains(contested, (string?)error["detail"], StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(JsonNode.DeepEquals(owner, await gateway.GetUserAsync(Tenant, Token, ownerId)));
        Assert.True(JsonNode.DeepEquals(other, await gateway.GetUserAsync(Tenant, Token, otherId)));
        Assert.Equal(ownerAccount, await gateway.ReadAccountAsync(Tenant, ownerId), AccountComparer);
        Assert.Equal(otherAccount, await gateway.ReadAccountAsync(Tenant, otherId), AccountComparer);
    }

    [Fact]
    public async Task User_name_and_aliases_of_a_deleted_user_can_be_used_again()
    {
        var userName = Unique("reuse");
        var alias = Unique("reused-alias");
        var first = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: $"\"smtp:{alias}\"")))["id"]!;

        using (var deleted = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{first}", Token))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"{AliasFilterPath} eq \"{alias}\""))["totalResults"]!);
        var second = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: $"\"smtp:{alias}\""));
        Assert.NotEqual(first, (string?)second["id"]);
        Assert.Equal([alias], (await gateway.ReadAccountAsync(Tenant, (string)second["id"]!))!.Aliases);
    }

    private static readonly IEqualityComparer<Veritas.Scim.Translation.Archive.ArchiveAccount?> AccountComparer =
        EqualityComparer<Veritas.Scim.Translation.Archive.ArchiveAccount?>.Create(
            (l, r) => l is not null && r is not null && l with { Aliases = [] } == r with { Aliases = [] } && l.Aliases.SequenceEqual(r.Aliases),
            a => a?.VaultEntryId.GetHashCode(StringComparison.Ordinal) ?? 0);
}
