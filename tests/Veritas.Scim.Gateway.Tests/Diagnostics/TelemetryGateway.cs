using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Hosting;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// The real gateway on a loopback port with an embedded store in a temporary folder, every span,
/// metric and log record it produces captured in memory, and a client holding a fresh token of
/// the demo tenant.
/// </summary>
internal sealed class TelemetryGateway : IAsyncDisposable
{
    public const string Tenant = "demo";

    private readonly WebApplication _app;

    private TelemetryGateway(WebApplication app, string dataDirectory, List<Activity> spans, List<MetricSnapshot> metrics, List<CapturedLog> logs)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Spans = spans;
        Metrics = metrics;
        Logs = logs;
    }

    public List<Activity> Spans { get; }

    public List<MetricSnapshot> Metrics { get; }

    public List<CapturedLog> Logs { get; }

    public string DataDirectory { get; }

    public string Token { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = new();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the gateway with every span recorded, as it records them when an exporter is
    /// configured: the in-memory exporter is added in code, where the gateway's configuration
    /// does not see it.
    /// </summary>
    public static Task<TelemetryGateway> StartAsync(CancellationToken cancellationToken, params string[] settings)
        => StartAsync(recordSpans: true, settings, cancellationToken);

    /// <summary>Starts the gateway deciding from <paramref name="settings"/> alone whether spans are recorded.</summary>
    public static Task<TelemetryGateway> StartAsConfiguredAsync(CancellationToken cancellationToken, params string[] settings)
        => StartAsync(recordSpans: false, settings, cancellationToken);

    private static async Task<TelemetryGateway> StartAsync(bool recordSpans, string[] settings, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "veritas-scim-telemetry-" + Guid.NewGuid().ToString("N"));
        List<Activity> spans = [];
        List<MetricSnapshot> metrics = [];
        List<CapturedLog> logs = [];
        var app = ScimGatewayApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--Scim:DataDirectory=" + dataDirectory, "--Logging:LogLevel:Veritas=Debug", .. settings],
            builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(provider => provider.AddInMemoryExporter(spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(provider => provider.AddInMemoryExporter(metrics));
                builder.Services.ConfigureOpenTelemetryLoggerProvider(provider => provider.AddProcessor(new CapturingLogProcessor(logs)));
            },
            services =>
            {
                if (recordSpans)
                {
                    // After the gateway's own tracing set-up, so that this sampler (OpenTelemetry's default) is the one used.
                    services.ConfigureOpenTelemetryTracerProvider(provider => provider.SetSampler(new ParentBasedSampler(new AlwaysOnSampler())));
                }
            });
        var gateway = new TelemetryGateway(app, dataDirectory, spans, metrics, logs);
        await app.StartAsync(cancellationToken);

        gateway.Token = TenantTokens.Generate();
        await app.Services.GetRequiredService<ITenantStore>().AddTokenAsync(Tenant, TenantTokens.Hash(gateway.Token), cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The traceparent each test sets must reach the server as sent: the in-process HttpClient
        // instrumentation would otherwise replace it with a trace of its own.
        gateway.Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
        gateway.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", gateway.Token);
        return gateway;
    }

    public string DatabasePath => Path.Combine(DataDirectory, "archive.db");

    /// <summary>Sends a request under a trace of our own (W3C traceparent) and returns the response and its trace id.</summary>
    public async Task<(HttpResponseMessage Response, ActivityTraceId TraceId)> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(method, "scim/" + Tenant + "/v2/" + path);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/scim+json");
        }

        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        // The server span ends after the response is sent; give the exporter that moment.
        await WaitForAsync(() => SpansOf(traceId).Any(s => s.Kind == ActivityKind.Server));
        return (response, traceId);
    }

    /// <summary>The tenant of the audit row whose correlation id is <paramref name="traceId"/>; null when there is none.</summary>
    public async Task<string?> AuditTenantOfAsync(ActivityTraceId traceId)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT TenantKey FROM AuditLog WHERE CorrelationId = $id;";
        command.Parameters.AddWithValue("$id", traceId.ToString());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public List<Activity> SpansOf(ActivityTraceId traceId)
    {
        lock (Spans)
        {
            return [.. Spans.Where(s => s.TraceId == traceId)];
        }
    }

    /// <summary>The latest cumulative points of one instrument, each as its tags and value.</summary>
    public List<(Dictionary<string, object?> Tags, double Value)> Points(string instrument)
    {
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        var latest = Metrics.LastOrDefault(m => m.Name == instrument);
        if (latest is null)
        {
            return [];
        }

        var points = new List<(Dictionary<string, object?>, double)>();
        foreach (var point in latest.MetricPoints)
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            var value = latest.MetricType switch
            {
                MetricType.LongSum => point.GetSumLong(),
                MetricType.DoubleSum => point.GetSumDouble(),
                MetricType.LongGauge => point.GetGaugeLastValueLong(),
                MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                MetricType.Histogram => point.GetHistogramCount(),
                _ => double.NaN,
            };
            points.Add((tags, value));
        }

        return points;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>One log record, copied to strings when exported (the SDK reuses its records).</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, int EventId, string? Message, IReadOnlyList<KeyValuePair<string, string?>> Attributes, string? Exception);

internal sealed class CapturingLogProcessor(List<CapturedLog> logs) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        var attributes = data.Attributes?.Select(a => new KeyValuePair<string, string?>(a.Key, a.Value?.ToString())).ToList() ?? [];
        lock (logs)
        {
            logs.Add(new CapturedLog(data.CategoryName ?? string.Empty, data.LogLevel, data.EventId.Id, data.FormattedMessage ?? data.Body, attributes, data.Exception?.ToString()));
        }
    }
}

/// <summary>The telemetry tests listen process-wide (static ActivitySource and Meter), so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    public const string Name = "Telemetry";
}
