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
}
