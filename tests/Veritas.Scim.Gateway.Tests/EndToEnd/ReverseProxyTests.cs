using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// The YARP front door with a stub legacy archive behind it: non-SCIM routes are forwarded, the
/// route table reloads without a restart, and a SCIM-cluster route without the handler metadata
/// fails closed.
/// </summary>
public sealed class ProxyGatewayFixture() : GatewayHost(createDemoTenant: false)
{
    public LegacyArchiveStub Legacy { get; private set; } = null!;

    public string Token { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Legacy = await LegacyArchiveStub.StartAsync(TestContext.Current.CancellationToken);
        await base.InitializeAsync();
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["ReverseProxy:Clusters:legacy-archive:Destinations:archive:Address"] = Legacy.Address.ToString();
        // Only /legacy/… is forwarded at first, so that a route added later is visibly new.
        settings["ReverseProxy:Routes:legacy-archive:Match:Path"] = "/legacy/{**rest}";
        // A SCIM-looking route someone forgot to mark Handler=Scim: its cluster has no destinations.
        settings["ReverseProxy:Routes:broken-scim:ClusterId"] = "scim-in-process";
        settings["ReverseProxy:Routes:broken-scim:Match:Path"] = "/broken/{tenant}/v2/{**rest}";
    }

    protected override async Task OnStartedAsync() => Token = await AddTenantAsync("proxied");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Legacy.DisposeAsync();
    }
}

public sealed class ReverseProxyTests(ProxyGatewayFixture gateway) : IClassFixture<ProxyGatewayFixture>
{
    [Fact]
    public async Task Non_scim_path_is_forwarded_to_the_legacy_archive()
    {
        using var response = await gateway.Client.GetAsync(new Uri("/legacy/accounts/42?view=full", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("legacy archive: GET /legacy/accounts/42?view=full", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("GET /legacy/accounts/42?view=full", gateway.Legacy.Received);
    }

    [Fact]
    public async Task Scim_routes_are_answered_in_process_and_never_forwarded()
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, "/scim/proxied/v2/Users", gateway.Token);
        await GatewayHost.AssertScimAsync(response, 200);
        using var unauthorized = await gateway.SendAsync(HttpMethod.Get, "/scim/proxied/v2/Users", null);
        await GatewayHost.AssertScimErrorAsync(unauthorized, 401);

        Assert.DoesNotContain(gateway.Legacy.Received, r => r.Contains("/scim/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Route_without_scim_metadata_on_the_scim_cluster_fails_closed_with_503()
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, "/broken/proxied/v2/Users", gateway.Token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.DoesNotContain(gateway.Legacy.Received, r => r.Contains("/broken/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Route_added_to_configuration_forwards_without_a_restart()
    {
        var path = $"/reports-{Guid.NewGuid():N}";
        using (var before = await gateway.Client.GetAsync(new Uri(path + "/daily", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(404, (int)before.StatusCode);
        }

        gateway.Configuration.Update(new Dictionary<string, string?>
        {
            [$"ReverseProxy:Routes:{path[1..]}:ClusterId"] = "legacy-archive",
            [$"ReverseProxy:Routes:{path[1..]}:Match:Path"] = path + "/{**rest}",
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int status;
        do
        {
            using var after = await gateway.Client.GetAsync(new Uri(path + "/daily", UriKind.Relative), TestContext.Current.CancellationToken);
            status = (int)after.StatusCode;
            if (status != 200)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        while (status != 200 && DateTime.UtcNow < deadline);

        Assert.Equal(200, status);
        Assert.Contains($"GET {path}/daily", gateway.Legacy.Received);
    }

    [Fact]
    public async Task Scim_route_added_at_run_time_is_served_in_process_with_its_own_base_url()
    {
        var prefix = $"/tenants-{Guid.NewGuid():N}"[..17];
        var route = prefix[1..];
        gateway.Configuration.Update(new Dictionary<string, string?>
        {
            [$"ReverseProxy:Routes:{route}:ClusterId"] = "scim-in-process",
            [$"ReverseProxy:Routes:{route}:AuthorizationPolicy"] = "scim-tenant",
            [$"ReverseProxy:Routes:{route}:RateLimiterPolicy"] = "scim-tenant",
            [$"ReverseProxy:Routes:{route}:Match:Path"] = prefix + "/{tenant}/scim/v2/{**rest}",
            [$"ReverseProxy:Routes:{route}:Metadata:Handler"] = "Scim",
        });

        var users = $"{prefix}/proxied/scim/v2/Users";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpResponseMessage response;
        while (true)
        {
            response = await gateway.SendAsync(HttpMethod.Get, users, gateway.Token);
            if ((int)response.StatusCode == 200 || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        using (response)
        {
            await GatewayHost.AssertScimAsync(response, 200);
        }

        using (var anonymous = await gateway.SendAsync(HttpMethod.Get, users, null))
        {
            await GatewayHost.AssertScimErrorAsync(anonymous, 401);
        }

        var userName = EntraRequests.UniqueUserName("Rerouted");
        using var created = await gateway.SendAsync(HttpMethod.Post, users, gateway.Token, EntraRequests.CreateUser(userName));
        var body = await GatewayHost.AssertScimAsync(created, 201);
        var expected = new Uri(gateway.Address, $"{users}/{(string?)body["id"]}");
        Assert.Equal(expected, created.Headers.Location);
        Assert.Equal(expected.ToString(), (string?)body["meta"]!["location"]);
        Assert.DoesNotContain(gateway.Legacy.Received, r => r.Contains(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scim_route_without_an_authorization_policy_is_refused_at_load_and_never_answers_or_forwards()
    {
        const string route = "scim-no-auth";
        var keys = new Dictionary<string, string?>
        {
            [$"ReverseProxy:Routes:{route}:ClusterId"] = "scim-in-process",
            [$"ReverseProxy:Routes:{route}:Match:Path"] = "/noauth/{tenant}/v2/{**rest}",
            [$"ReverseProxy:Routes:{route}:Metadata:Handler"] = "Scim",
        };
        gateway.Configuration.Update(keys);
        try
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            foreach (var token in new[] { null, "not-a-token", gateway.Token })
            {
                using var response = await gateway.SendAsync(HttpMethod.Get, "/noauth/proxied/v2/Users", token);
                Assert.Equal(404, (int)response.StatusCode);
            }

            Assert.DoesNotContain(gateway.Legacy.Received, r => r.Contains("/noauth/", StringComparison.Ordinal));
        }
        finally
        {
            // The rejected route would block every later reload of this shared fixture.
            gateway.Configuration.Update(keys.Keys.ToDictionary(k => k, _ => (string?)null));
        }
    }
}
