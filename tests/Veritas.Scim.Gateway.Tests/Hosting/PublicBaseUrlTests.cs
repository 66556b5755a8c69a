using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.Hosting;

/// <summary>
/// Location and meta.location come from Scim:PublicBaseUrl, from the forwarded headers of a
/// configured trusted proxy, from a Host that AllowedHosts vouches for, or else from the address
/// the gateway listens on; never from an arbitrary Host header.
/// </summary>
public sealed class PublicBaseUrlTests
{
    private const string Evil = "evil.example.com";

    [Fact]
    public async Task By_default_an_arbitrary_host_header_never_appears_and_the_listening_address_is_used()
    {
        await using var gateway = await StartAsync([]);
        var token = await gateway.AddTenantAsync("hosts");

        var (location, texts) = await ExerciseAsync(gateway, token, "hosts", r =>
        {
            r.Headers.Host = Evil;
            r.Headers.Add("X-Forwarded-Host", "forged.example.com");
            r.Headers.Add("X-Forwarded-Proto", "https");
        });

        Assert.StartsWith($"{gateway.Address.GetLeftPart(UriPartial.Authority)}/scim/hosts/v2/Users/", location, StringComparison.Ordinal);
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Evil, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("forged.example.com", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_configured_public_base_url_is_used_whatever_the_request_says()
    {
        await using var gateway = await StartAsync(new() { ["Scim:PublicBaseUrl"] = "https://scim.example.com/edge/" });
        var token = await gateway.AddTenantAsync("public");

        var (location, texts) = await ExerciseAsync(gateway, token, "public", r => r.Headers.Host = Evil);

        Assert.StartsWith("https://scim.example.com/edge/scim/public/v2/Users/", location, StringComparison.Ordinal);
        Assert.All(texts, t => Assert.DoesNotContain(Evil, t, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Forwarded_headers_are_believed_from_a_trusted_proxy_only()
    {
        await using (var trusting = await StartAsync(new() { ["Scim:TrustedProxies:0"] = "127.0.0.0/8" }))
        {
            var token = await trusting.AddTenantAsync("proxied");
            var (location, _) = await ExerciseAsync(trusting, token, "proxied", r =>
            {
                r.Headers.Add("X-Forwarded-Host", "scim.example.com");
                r.Headers.Add("X-Forwarded-Proto", "https");
                r.Headers.Add("X-Forwarded-For", "203.0.113.7");
            });
            Assert.StartsWith("https://scim.example.com/scim/proxied/v2/Users/", location, StringComparison.Ordinal);
        }

        await using var other = await StartAsync(new() { ["Scim:TrustedProxies:0"] = "10.1.2.3" });
        var otherToken = await other.AddTenantAsync("direct");
        var (direct, texts) = await ExerciseAsync(other, otherToken, "direct", r =>
        {
            r.Headers.Host = Evil;
            r.Headers.Add("X-Forwarded-Host", "forged.example.com");
        });
        Assert.StartsWith($"{other.Address.GetLeftPart(UriPartial.Authority)}/scim/direct/v2/Users/", direct, StringComparison.Ordinal);
        Assert.All(texts, t => Assert.DoesNotContain("forged.example.com", t, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_host_that_allowed_hosts_names_is_used_and_any_other_is_refused()
    {
        await using var gateway = await StartAsync(new() { ["AllowedHosts"] = "scim.test;127.0.0.1" });
        var token = await gateway.AddTenantAsync("named");

        var (location, _) = await ExerciseAsync(gateway, token, "named", r => r.Headers.Host = "scim.test");
        Assert.StartsWith("http://scim.test/scim/named/v2/Users/", location, StringComparison.Ordinal);

        using var evil = await gateway.SendAsync(HttpMethod.Get, "/scim/named/v2/Users", token, configure: r => r.Headers.Host = Evil);
        Assert.Equal(400, (int)evil.StatusCode);
        Assert.DoesNotContain(Evil, await evil.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("scim.example.com")]
    [InlineData("ftp://scim.example.com")]
    [InlineData("https://scim.example.com/?x=1")]
    [InlineData("https://user:pw@scim.example.com/")]
    public async Task An_invalid_public_base_url_fails_start_up(string url)
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: new Dictionary<string, string?> { ["Scim:PublicBaseUrl"] = url });

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await gateway.InitializeAsync());

        Assert.Contains("Scim:PublicBaseUrl", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_trusted_proxy_fails_start_up()
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false, overrides: new Dictionary<string, string?> { ["Scim:TrustedProxies:0"] = "proxy.example.com" });

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await gateway.InitializeAsync());

        Assert.Contains("Scim:TrustedProxies", failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task<StandaloneGateway> StartAsync(Dictionary<string, string?> settings)
    {
        var gateway = new StandaloneGateway(createDemoTenant: false, overrides: settings);
        await gateway.InitializeAsync();
        return gateway;
    }

    /// <summary>Creates, reads, lists and reads discovery with the same headers; returns the Location and every header and body text.</summary>
    private static async Task<(string Location, List<string> Texts)> ExerciseAsync(GatewayHost gateway, string token, string tenant, Action<HttpRequestMessage> headers)
    {
        var texts = new List<string>();
        var baseUrl = $"/scim/{tenant}/v2";
        using var created = await gateway.SendAsync(HttpMethod.Post, $"{baseUrl}/Users", token, EntraRequests.CreateUser(EntraRequests.UniqueUserName("Host")), configure: headers);
        var body = await GatewayHost.AssertScimAsync(created, 201);
        var location = created.Headers.Location!.ToString();
        Assert.Equal(location, (string?)body["meta"]!["location"]);
        texts.Add(location);
        texts.Add(body.ToJsonString());
        foreach (var path in new[] { $"Users/{(string?)body["id"]}", "Users", "ServiceProviderConfig", "ResourceTypes", "Schemas" })
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, $"{baseUrl}/{path}", token, configure: headers);
            var json = await GatewayHost.AssertScimAsync(response, 200);
            texts.Add(json.ToJsonString());
            texts.Add(response.Headers.ToString());
        }

        using var patched = await gateway.SendAsync(HttpMethod.Patch, $"{baseUrl}/Users/{(string?)body["id"]}", token, EntraRequests.Patch("""{ "op": "Replace", "path": "displayName", "value": "Renamed" }"""), configure: headers);
        texts.Add((await GatewayHost.AssertScimAsync(patched, 200)).ToJsonString());
        return (location, texts);
    }
}
