using System.Globalization;
using OpenTelemetry.Metrics;

namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>
/// The Prometheus scrape endpoint (<c>/metrics</c>), off by default. When on, it is served on a
/// port of its own (<c>Telemetry:Prometheus:Port</c>, 9464 unless set) and that port serves
/// nothing else: the SCIM port, which an ingress publishes, never answers it, and a scraper on
/// the metrics port reaches no SCIM route. No authentication, as for the health endpoints: the
/// port is meant for the cluster network only, and the output carries no tenant, user or token.
/// </summary>
internal static class PrometheusScrapeEndpoint
{
    public const string SectionName = "Telemetry:Prometheus";
    public const string Path = "/metrics";
    public const int DefaultPort = 9464;

    /// <summary>Listens on the metrics port too and exports the gateway's metrics there, when enabled.</summary>
    public static WebApplicationBuilder AddPrometheusScrapeEndpoint(this WebApplicationBuilder builder, MeterProviderBuilder metrics)
    {
        var options = Read(builder.Configuration);
        if (!options.Enabled)
        {
            return builder;
        }

        metrics.AddPrometheusExporter(exporter => exporter.ScrapeEndpointPath = Path);
        // UseUrls replaces the server's addresses, so the ones it would have used are kept.
        var addresses = ServerAddresses(builder.Configuration);
        addresses.Add(string.Create(CultureInfo.InvariantCulture, $"http://{options.Host}:{options.Port}"));
        builder.WebHost.UseUrls([.. addresses]);
        builder.Services.AddSingleton(options);
        return builder;
    }

    /// <summary>Answers <c>/metrics</c> on the metrics port and 404 for anything else there; other ports never see it.</summary>
    public static WebApplication UsePrometheusScrapeEndpoint(this WebApplication app)
    {
        if (app.Services.GetService<PrometheusScrapeOptions>() is not { } options)
        {
            return app;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsMetricsPort(context, options) && context.Request.Path == Path);
        app.Use((context, next) =>
        {
            if (IsMetricsPort(context, options))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    public static PrometheusScrapeOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<PrometheusScrapeOptions>() ?? new PrometheusScrapeOptions();
        if (options.Enabled && options.Port is < 1 or > 65535)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:Port must be a TCP port (1 to 65535); it is {options.Port}."));
        }

        return options;
    }

    private static bool IsMetricsPort(HttpContext context, PrometheusScrapeOptions options) => context.Connection.LocalPort == options.Port;

    /// <summary>The addresses Kestrel binds without UseUrls: <c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>, else its default.</summary>
    private static List<string> ServerAddresses(ConfigurationManager configuration)
    {
        static IEnumerable<string> Split(string? value) => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]).ToList();
        if (urls.Count > 0)
        {
            return urls;
        }

        var ports = Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => "http://*:" + port)
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => "https://*:" + port))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }
}

/// <summary>The <c>Telemetry:Prometheus</c> section.</summary>
internal sealed class PrometheusScrapeOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = PrometheusScrapeEndpoint.DefaultPort;

    /// <summary>The address the metrics port binds: every interface unless set (a pod's scraper comes over the pod network).</summary>
    public string Host { get; set; } = "*";
}
