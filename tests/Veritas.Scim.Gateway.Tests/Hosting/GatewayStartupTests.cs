using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.Hosting;

/// <summary>Starting, stopping and restarting the real gateway on its data folder.</summary>
public sealed class GatewayStartupTests
{
    [Fact]
    public async Task Users_tenants_and_tokens_survive_a_restart_and_the_demo_tenant_is_made_once()
    {
        var directory = GatewayHost.NewDataDirectory();
        try
        {
            string token;
            string id;
            await using (var first = new StandaloneGateway(createDemoTenant: true, directory))
            {
                await first.InitializeAsync();
                var tenants = await first.RunCliAsync("tenant", "list");
                Assert.Equal("demo", Assert.Single(tenants.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t')[0]);
                Assert.Single((await first.RunCliAsync("tenant", "token", "list", "demo")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

                token = await first.AddTokenAsync("demo");
                id = (string)(await first.CreateUserAsync("demo", token, CreateUser(UniqueUserName("Durable"))))["id"]!;

                // The demo tenant sees the seeded pre-SCIM accounts.
                Assert.Equal(1, (int)(await first.QueryAsync("demo", token, "userName eq \"alice.adams@demo.example.com\""))["totalResults"]!);
            }

            await using var second = new StandaloneGateway(createDemoTenant: true, directory);
            await second.InitializeAsync();

            Assert.Equal(id, (string?)(await second.GetUserAsync("demo", token, id))["id"]);
            Assert.Single((await second.RunCliAsync("tenant", "list")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(2, (await second.RunCliAsync("tenant", "token", "list", "demo")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(1, (int)(await second.QueryAsync("demo", token, "userName eq \"alice.adams@demo.example.com\""))["totalResults"]!);
        }
        finally
        {
            GatewayHost.DeleteDataDirectory(directory);
        }
    }

    [Fact]
    public async Task Without_the_demo_tenant_nothing_is_seeded_and_no_tenant_exists()
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false);
        await gateway.InitializeAsync();

        var list = await gateway.RunCliAsync("tenant", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Empty(list.StandardOutput.Trim());

        var token = await gateway.AddTenantAsync("fresh", "Demo Customer");
        Assert.Equal(0, (int)(await gateway.QueryAsync("fresh", token, "userName eq \"alice.adams@demo.example.com\""))["totalResults"]!);
        using var all = await gateway.SendAsync(HttpMethod.Get, "/scim/fresh/v2/Users", token);
        Assert.Equal(0, (int)(await GatewayHost.AssertScimAsync(all, 200))["totalResults"]!);
    }

    [Theory]
    [InlineData("Scim:MaxRequestBodyBytes", "10")]
    [InlineData("Scim:MaxResults", "0")]
    [InlineData("Scim:TokenCacheDuration", "01:00:00")]
    [InlineData("Scim:RateLimit:TokensPerSecond", "0")]
    public async Task Invalid_settings_stop_the_gateway_from_starting(string key, string value)
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await gateway.InitializeAsync());
        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers_while_the_store_is_up()
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false);
        await gateway.InitializeAsync();

        using var response = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
