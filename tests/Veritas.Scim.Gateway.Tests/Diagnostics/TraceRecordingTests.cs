using System.Diagnostics;
using System.Net;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// Spans are recorded only when the configuration names an exporter for them. Without one, a
/// request keeps its W3C trace id (the audit row's correlation id) and its metrics; no span is
/// built for nobody to read.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class TraceRecordingTests
{
    private const string NewUser = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"t.recording@demo.example.com","active":true}
        """;

    [Fact]
    public async Task Without_an_exporter_no_span_is_recorded_and_the_trace_id_still_reaches_the_audit_trail_and_the_metrics_still_count()
    {
        await using var gateway = await TelemetryGateway.StartAsConfiguredAsync(TestContext.Current.CancellationToken);

        // The client's traceparent asks for sampling: the gateway still records nothing, as no exporter would take it.
        var (response, traceId) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(gateway.SpansOf(traceId));
        Assert.Equal("demo", await gateway.AuditTenantOfAsync(traceId));
        Assert.Contains(gateway.Points(ScimTelemetry.RequestsInstrument), p =>
            Equals(p.Tags[ScimTelemetry.OperationTag], "User.create") && Equals(p.Tags[ScimTelemetry.StatusCodeTag], 201) && p.Value == 1);
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_configured_the_server_the_operation_and_the_store_spans_are_recorded()
    {
        // Nothing listens on port 9: export fails in the background, recording is unaffected.
        await using var gateway = await TelemetryGateway.StartAsConfiguredAsync(TestContext.Current.CancellationToken, "--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9");

        var (response, traceId) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spans = gateway.SpansOf(traceId);
        Assert.Contains(spans, span => span.Kind == ActivityKind.Server);
        Assert.Contains(spans, span => span.DisplayName == "scim User.create");
        Assert.Contains(spans, span => span.DisplayName == "create_account");
        Assert.All(spans, span => Assert.True(span.Recorded));
    }
}
