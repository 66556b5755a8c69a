using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>DESIGN.md §8: concurrent creates of one userName give exactly one 201; the rest get 409.</summary>
public sealed class ConcurrencyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Twenty_concurrent_posts_of_one_user_name_give_one_201_and_nineteen_409()
    {
        var userName = UniqueUserName("Race");
        using var start = new SemaphoreSlim(0);

        var posts = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync(TestContext.Current.CancellationToken);
            using var response = await gateway.SendAsync(HttpMethod.Post, "/scim/tenant-a/v2/Users", gateway.TokenA, CreateUser(userName));
            if ((int)response.StatusCode == 409)
            {
                await GatewayHost.AssertScimErrorAsync(response, 409, "uniqueness");
            }

            return (int)response.StatusCode;
        }).ToList();
        start.Release(posts.Count);
        var statuses = await Task.WhenAll(posts);

        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.Equal(19, statuses.Count(s => s == 409));
        Assert.Equal(1, (int)(await gateway.QueryAsync("tenant-a", gateway.TokenA, $"userName eq \"{userName}\""))["totalResults"]!);
    }

    [Fact]
    public async Task Concurrent_patches_of_one_user_all_succeed_and_the_last_write_is_whole()
    {
        var id = (string)(await gateway.CreateUserAsync("tenant-a", gateway.TokenA, CreateUser(UniqueUserName("Patches"))))["id"]!;

        var patches = Enumerable.Range(0, 3).Select(async i =>
        {
            using var response = await gateway.SendAsync(HttpMethod.Patch, $"/scim/tenant-a/v2/Users/{id}", gateway.TokenA, Patch(
                $$"""{ "op": "Replace", "path": "name.givenName", "value": "Given{{i}}" }"""));
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(patches);

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.StartsWith("Given", (string?)(await gateway.GetUserAsync("tenant-a", gateway.TokenA, id))["name"]!["givenName"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_patches_of_different_attributes_lose_no_update()
    {
        var id = (string)(await gateway.CreateUserAsync("tenant-a", gateway.TokenA, CreateUser(UniqueUserName("NoLostUpdate"))))["id"]!;
        string[] paths = ["nickName", "title", "userType", "locale", "timezone", "preferredLanguage", "profileUrl", "displayName", "name.givenName", "name.familyName"];
        using var start = new SemaphoreSlim(0);

        var patches = paths.Concat(paths).Select(async path =>
        {
            await start.WaitAsync(TestContext.Current.CancellationToken);
            using var response = await gateway.SendAsync(HttpMethod.Patch, $"/scim/tenant-a/v2/Users/{id}", gateway.TokenA, Patch(
                $$"""{ "op": "Replace", "path": "{{path}}", "value": "v-{{path}}" }"""));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }).ToList();
        start.Release(patches.Count);
        var results = await Task.WhenAll(patches);

        // Retries are bounded (DESIGN.md §6): under this much contention a PATCH may give up, but
        // only with a 409 (never a 412, which belongs to If-Match), and no applied change is lost.
        Assert.All(results, r => Assert.True(r.Item1 is 200 or 409, r.Item2));
        Assert.Contains(results, r => r.Item1 == 200);
        var read = await gateway.GetUserAsync("tenant-a", gateway.TokenA, id);
        foreach (var (path, status) in paths.Concat(paths).Zip(results.Select(r => r.Item1)))
        {
            var value = path.Split('.') is [var parent, var child] ? read[parent]?[child] : read[path];
            if (status == 200)
            {
                Assert.Equal("v-" + path, (string?)value);
            }
        }
    }
}
