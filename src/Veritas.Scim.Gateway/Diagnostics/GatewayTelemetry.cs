using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>
/// OpenTelemetry for the gateway (DESIGN.md §9): traces, metrics and logs, exported by OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (every standard OTEL_* variable applies) and to the
/// console when <c>Telemetry:Console</c> is true; spans are recorded only then. Plus the
/// <c>/readyz</c> health check.
/// </summary>
internal static class GatewayTelemetry
{
    public const string DefaultServiceName = "veritas-scim-gateway";
    public const string ConsoleExporterSetting = "Telemetry:Console";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    public const string ReadinessTag = "ready";

    /// <summary>ASP.NET Core's request log and YARP's forwarding log carry the query string, where SCIM filters name users.</summary>
    private static readonly string[] s_categoriesWithRequestUrls = ["Microsoft.AspNetCore.Hosting.Diagnostics", "Yarp.ReverseProxy.Forwarder"];

    public static WebApplicationBuilder AddScimTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var console = configuration.GetValue(ConsoleExporterSetting, false);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(ScimTelemetry.Name, ArchiveStoreTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSqlClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (!console && !otlp)
                {
                    // No exporter takes spans, so none is recorded: a request still has its W3C trace
                    // id (the audit trail's correlation id, the logs' trace id), but no span is built
                    // and tagged for nobody. That was a fifth of a userName query's CPU.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName, ScimTelemetry.Name, ArchiveStoreMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // .NET's built-in runtime metrics (GC, thread pool, exceptions); no extra package on .NET 9+.
                    .AddMeter("System.Runtime");
                if (console)
                {
                    metrics.AddConsoleExporter();
                }

                builder.AddPrometheusScrapeEndpoint(metrics);
            })
            .WithLogging(
                logging =>
                {
                    if (console)
                    {
                        logging.AddConsoleExporter();
                    }
                },
                options => options.IncludeFormattedMessage = true);
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        foreach (var category in s_categoriesWithRequestUrls)
        {
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(category, LogLevel.Warning);
        }

        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ProvisioningMetrics>();
        builder.Services.AddHealthChecks().AddCheck<ArchiveReadinessCheck>("archive", tags: [ReadinessTag]);
        return builder;
    }

    /// <summary>Maps <c>/readyz</c>: ready when the archive store answers and its schema is there.</summary>
    public static WebApplication MapScimHealthChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadinessTag) });
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(LivenessPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(ReadinessPath, StringComparison.OrdinalIgnoreCase);
}
