using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
    public async Task Without_an_exporter_a_forwarded_request_still_carries_the_clients_trace_to_the_archive()
    {
        // The legacy archive stands in as a loopback listener that records the request head it receives.
        using var archive = new TcpListener(IPAddress.Loopback, 0);
        archive.Start();
        var port = ((IPEndPoint)archive.LocalEndpoint).Port;
        await using var gateway = await TelemetryGateway.StartAsConfiguredAsync(
            TestContext.Current.CancellationToken,
            $"--ReverseProxy:Clusters:legacy-archive:Destinations:archive:Address=http://127.0.0.1:{port}/");
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "legacy/mailbox");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var forwarded = gateway.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var head = await ReadRequestHeadAndAnswerAsync(archive);
        using var response = await forwarded;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"traceparent: 00-{traceId}-", head, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(gateway.SpansOf(traceId));
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

    private static async Task<string> ReadRequestHeadAndAnswerAsync(TcpListener listener)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
        return head.ToString();
    }
}
