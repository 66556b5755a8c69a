using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Discovery documents and the RFC 7644 query features beyond what Entra needs.</summary>
public sealed class DiscoveryAndQueryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Base = "/scim/tenant-b/v2";

    private string Token => gateway.TokenB;

    private async Task<JsonObject> GetAsync(string path)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, Base + path, Token);
        return await GatewayHost.AssertScimAsync(response, 200);
    }

    [Fact]
    public async Task Service_provider_config_advertises_patch_filter_sort_etag_and_bearer()
    {
        var config = await GetAsync("/ServiceProviderConfig");

        Assert.True((bool)config["patch"]!["supported"]!);
        Assert.True((bool)config["filter"]!["supported"]!);
        Assert.True((bool)config["sort"]!["supported"]!);
        Assert.True((bool)config["etag"]!["supported"]!);
        Assert.False((bool)config["bulk"]!["supported"]!);
        Assert.Contains(config["authenticationSchemes"]!.AsArray(), s => ((string?)s!["type"])?.Contains("bearer", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task Schemas_list_and_each_schema_by_urn()
    {
        var list = await GetAsync("/Schemas");
        var ids = list["Resources"]!.AsArray().Select(s => (string)s!["id"]!).ToList();
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:User", ids);
        Assert.Contains(GatewayHost.VeritasSchema, ids);

        foreach (var id in ids)
        {
            var schema = await GetAsync("/Schemas/" + id);
            Assert.Equal(id, (string?)schema["id"]);
        }

        var veritas = await GetAsync("/Schemas/" + Uri.EscapeDataString(GatewayHost.VeritasSchema));
        Assert.Contains(veritas["attributes"]!.AsArray(), a => (string?)a!["name"] == "emailAliases");
    }

    [Fact]
    public async Task Resource_types_list_only_user()
    {
        var list = await GetAsync("/ResourceTypes");
        Assert.Equal(1, (int)list["totalResults"]!);
        Assert.Equal("User", (string?)list["Resources"]![0]!["name"]);

        var user = await GetAsync("/ResourceTypes/User");
        Assert.Equal("/Users", (string?)user["endpoint"]);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", (string?)user["schema"]);
    }

    [Fact]
    public async Task Search_by_post_on_users_and_on_the_root_finds_what_get_finds()
    {
        var prefix = $"search{Guid.NewGuid():N}"[..20];
        var id = (string)(await gateway.CreateUserAsync("tenant-b", Token, CreateUser($"{prefix}@{Domain}")))["id"]!;
        var search = $$"""
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
              "filter": "userName sw \"{{prefix}}\"",
              "attributes": ["userName"],
              "startIndex": 1,
              "count": 10
            }
            """;

        foreach (var path in new[] { "/Users/.search", "/.search" })
        {
            using var response = await gateway.SendAsync(HttpMethod.Post, Base + path, Token, search);
            var body = await GatewayHost.AssertScimAsync(response, 200);
            Assert.Equal(1, (int)body["totalResults"]!);
            var resource = body["Resources"]![0]!.AsObject();
            Assert.Equal(id, (string?)resource["id"]);
            Assert.Equal($"{prefix}@{Domain}", (string?)resource["userName"]);
            Assert.Null(resource["emails"]);
            Assert.Null(resource["displayName"]);
        }
    }

    [Fact]
    public async Task Sort_start_index_and_count_page_through_users_in_order()
    {
        var prefix = $"page{Guid.NewGuid():N}"[..16];
        var names = new[] { "delta", "alpha", "echo", "charlie", "bravo" }.Select(n => $"{prefix}-{n}@{Domain}").ToList();
        foreach (var name in names)
        {
            await gateway.CreateUserAsync("tenant-b", Token, CreateUser(name));
        }

        var filter = Uri.EscapeDataString($"userName sw \"{prefix}\"");
        var sorted = names.Order(StringComparer.OrdinalIgnoreCase).ToList();

        var first = await GetAsync($"/Users?filter={filter}&sortBy=userName&startIndex=1&count=2");
        Assert.Equal(5, (int)first["totalResults"]!);
        Assert.Equal(1, (int)first["startIndex"]!);
        Assert.Equal(2, (int)first["itemsPerPage"]!);
        Assert.Equal(sorted[..2], first["Resources"]!.AsArray().Select(r => (string)r!["userName"]!));

        var second = await GetAsync($"/Users?filter={filter}&sortBy=userName&startIndex=3&count=2");
        Assert.Equal(sorted[2..4], second["Resources"]!.AsArray().Select(r => (string)r!["userName"]!));

        var descending = await GetAsync($"/Users?filter={filter}&sortBy=userName&sortOrder=descending&count=1");
        Assert.Equal(sorted[^1], (string?)descending["Resources"]![0]!["userName"]);

        var countOnly = await GetAsync($"/Users?filter={filter}&count=0");
        Assert.Equal(5, (int)countOnly["totalResults"]!);
        Assert.Empty(countOnly["Resources"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task Attributes_and_excluded_attributes_project_lists_and_single_reads()
    {
        var userName = UniqueUserName("Projection");
        var id = (string)(await gateway.CreateUserAsync("tenant-b", Token, CreateUser(userName)))["id"]!;
        var filter = Uri.EscapeDataString($"userName eq \"{userName}\"");

        var only = (JsonObject)(await GetAsync($"/Users?filter={filter}&attributes=userName,name.givenName"))["Resources"]![0]!;
        Assert.Equal(id, (string?)only["id"]);
        Assert.Equal(userName, (string?)only["userName"]);
        Assert.Equal("givenName", (string?)only["name"]!["givenName"]);
        Assert.Null(only["name"]!["familyName"]);
        Assert.Null(only["emails"]);
        Assert.Null(only["active"]);

        var without = await GetAsync($"/Users/{id}?excludedAttributes=emails,name");
        Assert.Null(without["emails"]);
        Assert.Null(without["name"]);
        Assert.Equal(userName, (string?)without["userName"]);
        Assert.Equal(id, (string?)without["id"]);
    }

    [Fact]
    public async Task Full_filter_grammar_reaches_the_store()
    {
        var prefix = $"grammar{Guid.NewGuid():N}"[..20];
        var active = (string)(await gateway.CreateUserAsync("tenant-b", Token, CreateUser($"{prefix}-on@{Domain}")))["id"]!;
        var inactive = (string)(await gateway.CreateUserAsync("tenant-b", Token, CreateUser($"{prefix}-off@{Domain}", active: "false")))["id"]!;

        async Task<string[]> Ids(string filter) =>
            [.. ((await gateway.QueryAsync("tenant-b", Token, filter))["Resources"]?.AsArray() ?? []).Select(r => (string)r!["id"]!)];

        Assert.Equal([active], await Ids($"userName sw \"{prefix}\" and active eq true"));
        Assert.Equal([inactive], await Ids($"userName sw \"{prefix}\" and not (active eq true)"));
        Assert.Equal(2, (await Ids($"(userName eq \"{prefix}-on@{Domain}\") or (userName co \"{prefix}-off\")")).Length);
        Assert.Equal(2, (await Ids($"userName sw \"{prefix}\" and meta.created gt \"2000-01-01T00:00:00Z\"")).Length);
        Assert.Equal([active], await Ids($"userName sw \"{prefix}\" and emails[type eq \"work\" and value ew \"-on@{Domain}\"]"));
    }

    [Fact]
    public async Task Healthz_answers_200_without_a_token()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
    }
}
