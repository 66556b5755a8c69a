using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// Guessing tokens is bounded: failed authentication is limited per client address (past the
/// limit: 429 before any store lookup), and the cache of known-bad tokens has a size limit.
/// </summary>
public sealed class FailedAuthenticationTests
{
    private const int PermitLimit = 40;
    private const int Parallelism = 8;

    [Fact]
    public async Task Thousands_of_bad_tokens_from_one_address_cost_a_bounded_number_of_lookups_and_get_429_while_another_address_still_works()
    {
        CountingTenantStore? store = null;
        await using var gateway = new StandaloneGateway(
            createDemoTenant: false,
            overrides: new Dictionary<string, string?>
            {
                ["Scim:FailedAuthentication:PermitLimit"] = PermitLimit.ToString(CultureInfo.InvariantCulture),
                ["Scim:FailedAuthentication:Window"] = "00:10:00",
            },
            replaceServices: s => CountingTenantStore.Install(s, c => store = c));
        await gateway.InitializeAsync();
        var token = await gateway.AddTenantAsync("guarded");
        using (var warmUp = await gateway.SendAsync(HttpMethod.Get, "/scim/guarded/v2/Users", token))
        {
            await GatewayHost.AssertScimAsync(warmUp, 200);
        }

        var lookupsBefore = store!.TokenLookups;
        const int attempts = 3000;
        var statuses = new int[attempts];
        await Parallel.ForAsync(0, attempts, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = TestContext.Current.CancellationToken }, async (i, _) =>
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, "/scim/guarded/v2/Users", "guess-" + i.ToString(CultureInfo.InvariantCulture));
            statuses[i] = (int)response.StatusCode;
            if (statuses[i] == 429)
            {
                await GatewayHost.AssertScimErrorAsync(response, 429);
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
            }
        });

        var lookups = store.TokenLookups - lookupsBefore;
        Assert.InRange(lookups, PermitLimit, PermitLimit + Parallelism);
        Assert.All(statuses, s => Assert.True(s is 401 or 429, $"status {s}"));
        Assert.True(statuses.Count(s => s == 429) >= attempts - PermitLimit - Parallelism, $"only {statuses.Count(s => s == 429)} answers were 429");

        // The same good token from another client address still works; from the throttled one it waits too.
        using var otherAddress = ClientFrom(IPAddress.Parse("127.0.0.2"), gateway.Address);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/scim/guarded/v2/Users"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await otherAddress.SendAsync(request, TestContext.Current.CancellationToken);
            await GatewayHost.AssertScimAsync(response, 200);
        }

        using (var throttled = await gateway.SendAsync(HttpMethod.Get, "/scim/guarded/v2/Users", token))
        {
            await GatewayHost.AssertScimErrorAsync(throttled, 429);
        }
    }

    [Fact]
    public async Task The_cache_of_bad_tokens_stays_within_its_size_and_answers_a_repeated_bad_token_without_a_lookup()
    {
        const int cacheSize = 100;
        CountingTenantStore? store = null;
        await using var gateway = new StandaloneGateway(
            createDemoTenant: false,
            overrides: new Dictionary<string, string?>
            {
                ["Scim:TokenCacheDuration"] = "00:05:00",
                ["Scim:FailedAuthentication:PermitLimit"] = "1000000",
                ["Scim:FailedAuthentication:NegativeCacheSize"] = cacheSize.ToString(CultureInfo.InvariantCulture),
            },
            replaceServices: s => CountingTenantStore.Install(s, c => store = c));
        await gateway.InitializeAsync();
        _ = await gateway.AddTenantAsync("cached");
        var resolver = gateway.Services.GetRequiredService<TenantTokenResolver>();

        using (var first = await gateway.SendAsync(HttpMethod.Get, "/scim/cached/v2/Users", "repeated-bad-token"))
        {
            await GatewayHost.AssertScimErrorAsync(first, 401);
        }

        var afterFirst = store!.TokenLookups;
        using (var again = await gateway.SendAsync(HttpMethod.Get, "/scim/cached/v2/Users", "repeated-bad-token"))
        {
            await GatewayHost.AssertScimErrorAsync(again, 401);
        }

        Assert.Equal(afterFirst, store.TokenLookups);

        await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = TestContext.Current.CancellationToken }, async (i, _) =>
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, "/scim/cached/v2/Users", "distinct-" + i.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(401, (int)response.StatusCode);
        });

        Assert.InRange(resolver.RememberedInvalidTokens, 1, cacheSize);
    }

    /// <summary>A client whose connections leave from <paramref name="source"/> (any 127/8 address is loopback on Linux).</summary>
    private static HttpClient ClientFrom(IPAddress source, Uri gateway) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = gateway };
}
