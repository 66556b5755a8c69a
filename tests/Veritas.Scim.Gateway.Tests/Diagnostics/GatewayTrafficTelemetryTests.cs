using System.Diagnostics;
using System.Net;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>Traffic that never reaches the SCIM handler: the rate limit, and routes YARP forwards.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class GatewayTrafficTelemetryTests
{
    [Fact]
    public async Task A_request_refused_by_the_tenants_rate_limit_is_counted()
    {
        await using var gateway = await StartThrottledAsync();

        var (_, refused) = await SendAsync(gateway, HttpMethod.Get, "ServiceProviderConfig", 3);
        Assert.Equal(refused, Assert.Single(gateway.Points(ScimTelemetry.RateLimitedInstrument)).Value);
        Assert.Contains(gateway.Points(ScimTelemetry.RequestsInstrument), p => Equals(p.Tags[ScimTelemetry.OperationTag], "ServiceProviderConfig.get"));
    }

    [Theory]
    [InlineData("GET", "ServiceProviderConfig", "ServiceProviderConfig.get")]
    [InlineData("GET", "Users?filter=userName+eq+%22x%22", "User.query")]
    [InlineData("DELETE", "Users/some-id", "User.delete")]
    public async Task A_rate_limited_request_is_in_the_request_count_and_duration_with_status_429_and_its_operation(string method, string path, string operation)
    {
        await using var gateway = await StartThrottledAsync();

        var (sent, refused) = await SendAsync(gateway, new HttpMethod(method), path, 4);
        static bool Throttled((Dictionary<string, object?> Tags, double Value) point, string operation) =>
            Equals(point.Tags[ScimTelemetry.OperationTag], operation) && Convert.ToInt32(point.Tags[ScimTelemetry.StatusCodeTag], System.Globalization.CultureInfo.InvariantCulture) == 429;
        var counted = Assert.Single(gateway.Points(ScimTelemetry.RequestsInstrument), p => Throttled(p, operation));
        Assert.Equal(refused, counted.Value);
        Assert.Equal("none", counted.Tags[ScimTelemetry.ScimTypeTag]);
        Assert.Equal(refused, Assert.Single(gateway.Points(ScimTelemetry.OperationDurationInstrument), p => Throttled(p, operation)).Value);
        Assert.Equal(sent, gateway.Points(ScimTelemetry.RequestsInstrument).Where(p => Equals(p.Tags[ScimTelemetry.OperationTag], operation)).Sum(p => p.Value));
    }

    [Fact]
    public async Task A_forwarded_request_has_the_http_client_span_of_the_yarp_forwarder_in_its_trace()
    {
        // The legacy archive destination (localhost:8081) is not running here: the forward fails
        // with 502, and the outgoing attempt is still a client span of the same trace.
        await using var gateway = await TelemetryGateway.StartAsync(
            TestContext.Current.CancellationToken,
            "--ReverseProxy:Clusters:legacy-archive:Destinations:archive:Address=http://127.0.0.1:9/");
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "legacy/mailbox");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken);
        for (var i = 0; i < 100 && !gateway.SpansOf(traceId).Any(s => s.Kind == ActivityKind.Server); i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var spans = gateway.SpansOf(traceId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Assert.Equal("GET", client.GetTagItem("http.request.method"));
        Assert.Equal(server.TraceId, client.TraceId);
        Assert.DoesNotContain(spans, s => s.Source.Name == ScimTelemetry.Name);
    }

    /// <summary>A gateway whose tenant may send one request a second, with no queue: the second request at once is refused.</summary>
    private static Task<TelemetryGateway> StartThrottledAsync() => TelemetryGateway.StartAsync(
        TestContext.Current.CancellationToken,
        "--Scim:RateLimit:TokensPerSecond=1",
        "--Scim:RateLimit:BurstSize=1",
        "--Scim:RateLimit:QueueLimit=0");

    private static async Task<(int Sent, int Refused)> SendAsync(TelemetryGateway gateway, HttpMethod method, string path, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            var (response, _) = await gateway.SendAsync(method, path);
            statuses.Add(response.StatusCode);
        }

        var refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(refused >= 1, "no request was rate limited: " + string.Join(", ", statuses));
        return (times, refused);
    }
}
