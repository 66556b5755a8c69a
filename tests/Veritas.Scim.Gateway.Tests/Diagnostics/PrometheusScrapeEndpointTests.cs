using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Veritas.Scim.Gateway.Tests.Simulation;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary><c>/metrics</c> is off by default; when on, only its own port answers it, and that port answers nothing else.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class PrometheusScrapeEndpointTests
{
    [Fact]
    public async Task The_metrics_port_serves_only_metrics_and_the_scim_port_never_serves_them()
    {
        var metricsPort = GatewayProcess.FreeLoopbackPort();
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken, Settings(enabled: true, metricsPort));
        var (created, _) = await gateway.SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString("userName eq \"nobody@example.com\""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var client = new HttpClient();
        var metricsBase = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{metricsPort}/"));

        using var scrape = await client.GetAsync(new Uri(metricsBase, "metrics"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        var text = await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("scim_requests_total{", text, StringComparison.Ordinal);
        Assert.Contains("scim_operation=\"User.query\"", text, StringComparison.Ordinal);

        using var scimOnMetricsPort = new HttpRequestMessage(HttpMethod.Get, new Uri(metricsBase, "scim/demo/v2/Users"));
        scimOnMetricsPort.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.Token);
        using var refused = await client.SendAsync(scimOnMetricsPort, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        using var metricsOnScimPort = await gateway.Client.GetAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("scim_requests_total", await metricsOnScimPort.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_setting_nothing_listens_on_the_metrics_port()
    {
        var metricsPort = GatewayProcess.FreeLoopbackPort();
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken, Settings(enabled: false, metricsPort));

        using var client = new HttpClient();
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), TestContext.Current.CancellationToken));
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(failure.InnerException).SocketErrorCode);
    }

    private static string[] Settings(bool enabled, int port) =>
    [
        "--Telemetry:Prometheus:Enabled=" + enabled.ToString(CultureInfo.InvariantCulture),
        "--Telemetry:Prometheus:Host=127.0.0.1",
        "--Telemetry:Prometheus:Port=" + port.ToString(CultureInfo.InvariantCulture),
    ];
}
