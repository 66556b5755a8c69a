using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>The exporters an operator switches on by configuration start with the gateway and do not disturb it.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Otlp_export_from_OTEL_EXPORTER_OTLP_ENDPOINT_and_console_export_start_with_the_gateway()
    {
        // Nothing listens on port 9: export fails in the background, requests are unaffected.
        await using var gateway = await TelemetryGateway.StartAsync(
            TestContext.Current.CancellationToken,
            "--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9",
            "--Telemetry:Console=true");

        var (response, _) = await gateway.SendAsync(HttpMethod.Get, "Users?count=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var otlp = gateway.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OtlpExporterOptions>>().Get("tracing");
        Assert.Equal(new Uri("http://127.0.0.1:9"), otlp.Endpoint);
        Assert.NotNull(gateway.Services.GetRequiredService<TracerProvider>());
        Assert.NotNull(gateway.Services.GetRequiredService<MeterProvider>());
    }
}
