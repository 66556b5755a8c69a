using Veritas.Scim.Gateway.Hosting;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using Yarp.ReverseProxy.Configuration;

namespace Veritas.Scim.Gateway.Tests.Hosting;

/// <summary>
/// Route safety is checked when YARP loads the route table: an unsafe SCIM route fails start-up
/// with one line naming it, and a hot reload that brings one keeps the last good table.
/// </summary>
public sealed class ScimRouteSafetyTests
{
    /// <summary>Every class of unsafe SCIM route, as configuration on top of a safe one.</summary>
    public static TheoryData<string, Dictionary<string, string?>, string> UnsafeRoutes() => new()
    {
        { "no policy", SafeRoute(policy: null), "AuthorizationPolicy must be 'scim-tenant'" },
        { "another policy", SafeRoute(policy: "default"), "AuthorizationPolicy must be 'scim-tenant'" },
        { "no tenant", SafeRoute(path: "/extra/v2/{**rest}"), "must contain {tenant}" },
        { "no rest", SafeRoute(path: "/extra/{tenant}/v2/Users"), "must end with {**rest}" },
        { "destinations", SafeRoute(cluster: "legacy-archive"), "must have no destinations" },
    };

    [Theory]
    [MemberData(nameof(UnsafeRoutes))]
    public async Task An_unsafe_scim_route_fails_start_up_with_one_line_naming_it(string kind, Dictionary<string, string?> route, string expected)
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: route);

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await gateway.InitializeAsync());

        var messages = Chain(failure).Select(e => e.Message).ToList();
        var line = messages.FirstOrDefault(m => m.StartsWith("SCIM route 'scim-extra' is unsafe", StringComparison.Ordinal));
        Assert.True(line is not null, $"{kind}: no clear message in: {string.Join(" | ", messages)}");
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task A_safe_extra_scim_route_starts()
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: SafeRoute());
        await gateway.InitializeAsync();
        var token = await gateway.AddTenantAsync("safe");

        using var response = await gateway.SendAsync(HttpMethod.Get, "/extra/safe/v2/Users", token);
        await GatewayHost.AssertScimAsync(response, 200);
    }

    [Theory]
    [MemberData(nameof(UnsafeRoutes))]
    public async Task A_hot_reload_with_an_unsafe_scim_route_keeps_the_last_good_table(string kind, Dictionary<string, string?> route, string expected)
    {
        _ = expected;
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: new Dictionary<string, string?> { ["ReverseProxy:Routes:legacy-archive:Match:Path"] = "/legacy/{**rest}" });
        await gateway.InitializeAsync();
        var token = await gateway.AddTenantAsync("reload");

        // One reload brings the unsafe route and a harmless new SCIM route: neither may appear.
        var reload = new Dictionary<string, string?>(route);
        foreach (var (key, value) in SafeRoute(id: "scim-marker", path: "/marker/{tenant}/v2/{**rest}"))
        {
            reload[key] = value;
        }

        gateway.Configuration.Update(reload);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        using (var marker = await gateway.SendAsync(HttpMethod.Get, "/marker/reload/v2/Users", token))
        {
            Assert.True((int)marker.StatusCode == 404, $"{kind}: the rejected table was applied ({(int)marker.StatusCode})");
        }

        using (var unsafeRoute = await gateway.SendAsync(HttpMethod.Get, "/extra/reload/v2/Users", token))
        {
            Assert.True((int)unsafeRoute.StatusCode is 404, $"{kind}: the unsafe route answers {(int)unsafeRoute.StatusCode}");
        }

        using (var original = await gateway.SendAsync(HttpMethod.Get, "/scim/reload/v2/Users", token))
        {
            await GatewayHost.AssertScimAsync(original, 200);
        }

        Assert.Contains(gateway.Logs.Lines, l => l.Exception is not null && Chain(l.Exception).Any(e => e.Message.StartsWith("SCIM route 'scim-extra' is unsafe", StringComparison.Ordinal)));

        // Once the unsafe route is gone, reloads apply again.
        gateway.Configuration.Update(route.Keys.ToDictionary(k => k, _ => (string?)null));
        await WaitForAsync(async () =>
        {
            using var marker = await gateway.SendAsync(HttpMethod.Get, "/marker/reload/v2/Users", token);
            return (int)marker.StatusCode == 200;
        });
    }

    [Fact]
    public void Routes_that_are_not_scim_routes_are_not_judged()
    {
        var forwarded = new RouteConfig { RouteId = "legacy", ClusterId = "legacy-archive", Match = new RouteMatch { Path = "{**catch-all}" } };
        var cluster = new ClusterConfig { ClusterId = "legacy-archive", Destinations = new Dictionary<string, DestinationConfig> { ["a"] = new() { Address = "http://localhost:1/" } } };

        Assert.Empty(ScimRouteSafety.Problems(forwarded, cluster));
    }

    private static Dictionary<string, string?> SafeRoute(string id = "scim-extra", string? policy = "scim-tenant", string path = "/extra/{tenant}/v2/{**rest}", string cluster = "scim-in-process")
    {
        var prefix = $"ReverseProxy:Routes:{id}";
        var route = new Dictionary<string, string?>
        {
            [$"{prefix}:ClusterId"] = cluster,
            [$"{prefix}:RateLimiterPolicy"] = "scim-tenant",
            [$"{prefix}:Match:Path"] = path,
            [$"{prefix}:Metadata:Handler"] = "Scim",
        };
        if (policy is not null)
        {
            route[$"{prefix}:AuthorizationPolicy"] = policy;
        }

        return route;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
