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

    [Fact]
    public async Task Shutdown_finishes_a_create_in_flight_and_the_user_is_on_disk()
    {
        var directory = GatewayHost.NewDataDirectory();
        try
        {
            var userName = UniqueUserName("InFlight");
            string token;
            CountingTenantStore? tenants = null;
            await using (var gateway = new StandaloneGateway(createDemoTenant: false, directory, replaceServices: s => CountingTenantStore.Install(s, c => tenants = c)))
            {
                await gateway.InitializeAsync();
                token = await gateway.AddTenantAsync("shutdown");
                var body = new SlowContent(System.Text.Encoding.UTF8.GetBytes(CreateUser(userName)));

                var post = gateway.SendAsync(HttpMethod.Post, "/scim/shutdown/v2/Users", token, configure: request => request.Content = body);
                await body.FirstHalfSent.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
                // Half a body on the wire is not yet a request in flight: the server has taken it once it
                // looks its token up. Stopping before that is a stop with nothing in flight, which may end at once.
                // (The store is made when the first request needs it.)
                for (var i = 0; i < 1500 && (Volatile.Read(ref tenants)?.TokenLookups ?? 0) == 0; i++)
                {
                    await Task.Delay(20, TestContext.Current.CancellationToken);
                }

                Assert.Equal(1, tenants!.TokenLookups);
                var stopping = gateway.StopAsync(TestContext.Current.CancellationToken);
                await Task.Delay(200, TestContext.Current.CancellationToken);
                Assert.False(stopping.IsCompleted, "The gateway stopped before the request in flight finished.");
                body.SendRest();

                using var response = await post;
                await GatewayHost.AssertScimAsync(response, 201);
                await stopping;
            }

            await using var restarted = new StandaloneGateway(createDemoTenant: false, directory);
            await restarted.InitializeAsync();
            Assert.Equal(1, (int)(await restarted.QueryAsync("shutdown", token, $"userName eq \"{userName}\""))["totalResults"]!);
        }
        finally
        {
            GatewayHost.DeleteDataDirectory(directory);
        }
    }

    /// <summary>A request body that sends its first half at once and the rest when told.</summary>
    private sealed class SlowContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _firstHalfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _sendRest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SlowContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GatewayHost.ScimMediaType);
        }

        public Task FirstHalfSent => _firstHalfSent.Task;

        public void SendRest() => _sendRest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            _firstHalfSent.TrySetResult();
            await _sendRest.Task;
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
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
