using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// How answers are written: every body whole, with its Content-Length; a user written straight from
/// the account the same as through the projection; and a stored user map the gateway cannot read
/// (not JSON, or an alias value today's rules refuse) read from the archive's columns and alias
/// rows the same on every path, never an error, a 500 or a response cut short.
/// </summary>
public sealed class ResponseWritingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

    private string Token => gateway.TokenA;

    [Fact]
    public async Task Every_answer_with_a_body_carries_its_length_and_is_not_chunked()
    {
        var userName = UniqueUserName("Length");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: "\"SMTP:" + userName + ",smtp:alias." + userName + "\""));
        var id = (string)created["id"]!;
        (HttpMethod Method, string Path, string? Body)[] requests =
        [
            (HttpMethod.Get, $"{Users}/{id}", null),
            (HttpMethod.Get, $"{Users}/{id}?attributes=userName", null),
            (HttpMethod.Get, $"{Users}?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}", null),
            (HttpMethod.Get, $"{Users}?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}&excludedAttributes=emails", null),
            (HttpMethod.Patch, $"{Users}/{id}", Patch("""{"op": "Replace", "path": "displayName", "value": "Length test"}""")),
            (HttpMethod.Get, $"{Users}/not-there", null),
            (HttpMethod.Get, "/scim/tenant-a/v2/ServiceProviderConfig", null),
            (HttpMethod.Get, "/scim/tenant-a/v2/Schemas", null),
        ];

        foreach (var (method, path, body) in requests)
        {
            using var response = await gateway.SendAsync(method, path, Token, body);
            var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.True(response.Content.Headers.ContentLength == bytes.Length, $"{method} {path}: Content-Length {response.Content.Headers.ContentLength}, body {bytes.Length} bytes");
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.NotNull(JsonNode.Parse(bytes));
        }
    }

    [Fact]
    public async Task A_user_reads_the_same_written_from_the_account_as_through_a_projection_of_everything()
    {
        var userName = UniqueUserName("Same");
        var created = await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: "\"SMTP:" + userName + ",smtp:second." + userName + ",X500:/o=Org/cn=x\""));
        var id = (string)created["id"]!;
        var direct = await gateway.GetUserAsync(Tenant, Token, id);

        // Naming every attribute makes the gateway build the tree and project it.
        var all = "userName,name,displayName,emails,active,externalId,roles,meta," + GatewayHost.VeritasSchema;
        using var projected = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}?attributes={all}", Token);
        var tree = await GatewayHost.AssertScimAsync(projected, 200);
        Assert.True(JsonNode.DeepEquals(direct, tree), $"{direct.ToJsonString()}\n{tree.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(created, direct), $"{created.ToJsonString()}\n{direct.ToJsonString()}");
    }

    [Fact]
    public async Task A_stored_map_that_is_not_JSON_reads_from_the_columns_the_same_on_every_path_and_the_next_write_mends_it()
    {
        var userName = UniqueUserName("Broken");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        await SetStoredMapAsync(id, """{"userName": "cut short""");

        var all = "userName,name,displayName,emails,active,externalId,meta";
        var answers = new List<string>();
        foreach (var path in ReadPaths(id, userName, all))
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, path, Token);
            var body = await GatewayHost.AssertScimAsync(response, 200);
            var user = body["Resources"] is JsonArray resources ? Assert.Single(resources)! : body;
            answers.Add(user.ToJsonString());
        }

        Assert.Single(answers.Distinct());
        using var patched = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""{"op": "Replace", "path": "displayName", "value": "Mended"}"""));
        var mended = await GatewayHost.AssertScimAsync(patched, 200);
        Assert.Equal("Mended", (string?)mended["displayName"]);
        Assert.True(JsonNode.DeepEquals(mended, await gateway.GetUserAsync(Tenant, Token, id)));
    }

    [Theory]
    [InlineData("12")]
    // The valid entry is the archive's alias: only the entry refused since tells it from the archive's form.
    [InlineData("\"smtp:{kept},smtp:bad@\"")]
    public async Task A_stored_alias_value_a_write_would_refuse_today_reads_on_every_path_as_the_archives_aliases_and_a_PATCH_keeps_them(string storedAliases)
    {
        // Accepted when it was written, refused by today's rules: a read never fails on it, and
        // the archive's alias rows are what it shows.
        var userName = UniqueUserName("Refused");
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName, aliasesJson: "\"smtp:kept." + userName + "\"")))["id"]!;
        var aliases = storedAliases.Replace("{kept}", "kept." + userName, StringComparison.Ordinal);
        await SetStoredMapAsync(id, """{"urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":""" + aliases + "}}");

        foreach (var path in ReadPaths(id, userName, attributes: GatewayHost.VeritasSchema))
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, path, Token);
            var body = await GatewayHost.AssertScimAsync(response, 200);
            var user = body["Resources"] is JsonArray resources ? Assert.Single(resources)! : body;
            Assert.Equal("kept." + userName, (string?)user[GatewayHost.VeritasSchema]?["emailAliases"]);
        }

        // Entra's PATCH of another attribute is made from that read: it succeeds and keeps the aliases.
        using var patched = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""{"op": "Replace", "path": "displayName", "value": "Still patchable"}"""));
        var after = await GatewayHost.AssertScimAsync(patched, 200);
        Assert.Equal("Still patchable", (string?)after["displayName"]);
        Assert.Equal("kept." + userName, (string?)after[GatewayHost.VeritasSchema]?["emailAliases"]);
    }

    [Fact]
    public async Task An_id_is_decoded_once_so_a_twice_encoded_id_names_no_user()
    {
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("Encoded"))))["id"]!;
        var encodedOnce = string.Concat(id.Select(c => $"%{(int)c:X2}"));
        var encodedTwice = encodedOnce.Replace("%", "%25", StringComparison.Ordinal);

        Assert.Equal(id, (string)(await gateway.GetUserAsync(Tenant, Token, encodedOnce))["id"]!);
        using var twice = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{encodedTwice}", Token);
        await GatewayHost.AssertScimErrorAsync(twice, 404);
        using var patchedTwice = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{encodedTwice}", Token, Patch("""{"op": "Replace", "path": "displayName", "value": "Twice"}"""));
        await GatewayHost.AssertScimErrorAsync(patchedTwice, 404);
        Assert.Equal("Test User", (string)(await gateway.GetUserAsync(Tenant, Token, id))["displayName"]!);
    }

    /// <summary>The four ways a user is read: by id and by filter, each written from the account and through a projection.</summary>
    private static string[] ReadPaths(string id, string userName, string attributes = "userName")
    {
        var filter = Uri.EscapeDataString($"userName eq \"{userName}\"");
        return [$"{Users}/{id}", $"{Users}/{id}?attributes={attributes}", $"{Users}?filter={filter}", $"{Users}?filter={filter}&attributes={attributes}"];
    }

    private async Task SetStoredMapAsync(string id, string json)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(gateway.DataDirectory, "archive.db")};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 5000; UPDATE UserMap SET ScimAttributesJson = $json WHERE AccountId = (SELECT AccountId FROM ArchiveAccount WHERE VaultEntryId = $id);";
        command.Parameters.AddWithValue("$json", json);
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }
}
