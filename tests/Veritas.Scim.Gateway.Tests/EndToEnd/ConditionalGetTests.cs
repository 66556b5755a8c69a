using System.Net;
using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// A GET with If-None-Match (RFC 7644 §3.14, RFC 9110 §13.1.2): 304 without a body when a listed
/// tag is the user's current version under weak comparison (or is <c>*</c>), otherwise the user.
/// A request that would fail without the header fails the same way with it (RFC 9110 §13.2.1).
/// </summary>
public sealed class ConditionalGetTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = "/scim/tenant-a/v2/Users";

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

    private async Task<string> CreateAsync(string prefix)
        => (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName(prefix))))["id"]!;

    private Task<HttpResponseMessage> GetAsync(string id, string ifNoneMatch)
        => gateway.SendAsync(HttpMethod.Get, $"{Users}/{id}", Token, configure: request => request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch));
}
