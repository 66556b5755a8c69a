using System.Net;
using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// If-Match and If-None-Match (RFC 7644 §3.14, RFC 9110 §13.1.1–2), weak comparison, on every user
/// operation: a GET whose If-None-Match names the current version is 304 without a body; a write
/// whose If-None-Match names it, or whose If-Match does not, is 412 with nothing written; a GET
/// whose If-Match does not name it is 412. A missing user is 404 whatever the headers name (§13.2.1).
/// </summary>
public sealed class ConditionalRequestTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

    /// <summary>The user name each created id was given, for a PUT that keeps it.</summary>
    private readonly Dictionary<string, string> _userNames = [];

    private string Token => gateway.TokenA;

    public static TheoryData<string> TagsNamingVersionOne() =>
    [
        "W/\"1\"",
        "\"1\"",
        "W/\"7\", W/\"1\"",
        "*",
    ];

    [Theory]
    [MemberData(nameof(TagsNamingVersionOne))]
    public async Task A_get_naming_the_current_version_is_304_with_the_etag_and_no_body(string ifNoneMatch)
    {
        var id = await CreateAsync("notmodified");

        using var response = await GetAsync(id, ifNoneMatch);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_get_naming_an_older_version_is_the_current_user_with_its_etag()
    {
        var id = await CreateAsync("modified");
        using (var patched = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch("""{ "op": "Replace", "path": "displayName", "value": "Changed" }""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        using var response = await GetAsync(id, "W/\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
        var user = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("Changed", (string?)user["displayName"]);
        Assert.Equal("W/\"2\"", (string?)user["meta"]!["version"]);
    }

    [Fact]
    public async Task A_get_of_a_deleted_or_unknown_user_is_404_whatever_it_names()
    {
        var id = await CreateAsync("refused");

        using var deleted = await gateway.SendAsync(HttpMethod.Delete, $"{Users}/{id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await GetAsync(id, "*");
        await GatewayHost.AssertScimErrorAsync(gone, 404, null);

        using var missing = await GetAsync("0000000000000000000000000000DEAD", "*");
        await GatewayHost.AssertScimErrorAsync(missing, 404, null);
    }

    public static TheoryData<string, string, string> WritesRefusedAtVersionOne() => new()
    {
        { "PATCH", "If-None-Match", "*" },
        { "PATCH", "If-None-Match", "W/\"3\", W/\"1\"" },
        { "PATCH", "If-Match", "W/\"2\"" },
        { "PUT", "If-None-Match", "\"1\"" },
        { "PUT", "If-Match", "W/\"9\"" },
        { "DELETE", "If-None-Match", "*" },
        { "DELETE", "If-Match", "W/\"0\"" },
    };

    [Theory]
    [MemberData(nameof(WritesRefusedAtVersionOne))]
    public async Task A_write_whose_preconditions_fail_is_412_and_changes_nothing(string method, string header, string value)
    {
        var id = await CreateAsync("refusedwrite");
        var before = await gateway.GetUserAsync(Tenant, Token, id);

        using var response = await WriteAsync(method, id, header, value);

        await GatewayHost.AssertScimErrorAsync(response, 412, null);
        var after = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
    }

    [Theory]
    [InlineData("PATCH", "If-None-Match", "W/\"7\"")]
    [InlineData("PATCH", "If-Match", "W/\"1\"")]
    [InlineData("PUT", "If-None-Match", "W/\"2\", \"3\"")]
    [InlineData("DELETE", "If-None-Match", "W/\"2\"")]
    [InlineData("DELETE", "If-Match", "*")]
    public async Task A_write_whose_preconditions_hold_is_applied(string method, string header, string value)
    {
        var id = await CreateAsync("appliedwrite");

        using var response = await WriteAsync(method, id, header, value);

        if (method == "DELETE")
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            using var gone = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token);
            await GatewayHost.AssertScimErrorAsync(gone, 404, null);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
            Assert.Equal("Written", (string?)(await gateway.GetUserAsync(Tenant, Token, id))["displayName"]);
        }
    }

    [Fact]
    public async Task A_get_whose_if_match_names_another_version_is_412()
    {
        var id = await CreateAsync("getifmatch");

        using var refused = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token, configure: r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"2\""));
        await GatewayHost.AssertScimErrorAsync(refused, 412, null);

        using var served = await gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token, configure: r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"1\""));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private Task<HttpResponseMessage> WriteAsync(string method, string id, string header, string value)
    {
        var (httpMethod, body) = method switch
        {
            "PATCH" => (HttpMethod.Patch, Patch("""{ "op": "Replace", "path": "displayName", "value": "Written" }""")),
            "PUT" => (HttpMethod.Put, $$"""
                { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{_userNames[id]}}", "displayName": "Written", "active": true }
                """),
            _ => (HttpMethod.Delete, (string?)null),
        };
        return gateway.SendAsync(httpMethod, $"{Users}/{id}", Token, body, configure: r => r.Headers.TryAddWithoutValidation(header, value));
    }

    private async Task<string> CreateAsync(string prefix)
    {
        var userName = UniqueUserName(prefix);
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(userName)))["id"]!;
        _userNames[id] = userName;
        return id;
    }

    private Task<HttpResponseMessage> GetAsync(string id, string ifNoneMatch)
        => gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token, configure: request => request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch));
}
