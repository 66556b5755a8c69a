using System.Globalization;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>A gateway with a tiny per-tenant bucket: one request per second, a burst of two.</summary>
public sealed class RateLimitedGatewayFixture() : GatewayHost(createDemoTenant: false)
{
    public string TokenA { get; private set; } = null!;

    public string TokenB { get; private set; } = null!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Scim:RateLimit:TokensPerSecond"] = "1";
        settings["Scim:RateLimit:BurstSize"] = "2";
    }

    protected override async Task OnStartedAsync()
    {
        TokenA = await AddTenantAsync("limited-a");
        TokenB = await AddTenantAsync("limited-b");
    }
}

public sealed class RateLimitTests(RateLimitedGatewayFixture gateway) : IClassFixture<RateLimitedGatewayFixture>
{
    [Fact]
    public async Task Burst_beyond_the_bucket_is_429_with_retry_after_and_a_scim_error_for_that_tenant_only()
    {
        var statuses = new List<int>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 20 && rejected is null; i++)
        {
            var response = await gateway.SendAsync(HttpMethod.Get, "/scim/limited-a/v2/Users?count=1", gateway.TokenA);
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode == 429)
            {
                rejected = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(rejected);
        using (rejected)
        {
            await GatewayHost.AssertScimErrorAsync(rejected, 429);
            var retryAfter = rejected.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(double.Parse(rejected.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture));
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        }

        Assert.All(statuses[..^1], s => Assert.Equal(200, s));

        // Another tenant has its own bucket.
        using var other = await gateway.SendAsync(HttpMethod.Get, "/scim/limited-b/v2/Users?count=1", gateway.TokenB);
        await GatewayHost.AssertScimAsync(other, 200);
    }

    [Fact]
    public async Task Health_endpoint_is_not_rate_limited()
    {
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(200, (int)response.StatusCode);
        }
    }
}
