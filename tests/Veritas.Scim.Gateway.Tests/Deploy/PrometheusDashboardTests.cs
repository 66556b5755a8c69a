using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.Tests.Simulation;

namespace Veritas.Scim.Gateway.Tests.Deploy;

/// <summary>
/// The shipped Grafana dashboard against a real Prometheus: the gateway (the real executable)
/// serves <c>/metrics</c> on its metrics port, Prometheus scrapes it every second, the simulator
/// runs Entra's cycles (throttled by a low rate limit, plus a duplicate and an alias conflict),
/// and then every PromQL expression of every panel is evaluated through Prometheus's HTTP API:
/// each must return data, with every label its legend and grouping use.
/// </summary>
public sealed partial class PrometheusDashboardTests
{
    private const string DashboardPath = "deploy/grafana/dashboards/scim-gateway.json";
    private const string Tenant = "scraped";

    [Fact]
    public async Task Every_dashboard_expression_returns_data_with_its_panels_labels_from_a_real_prometheus_scraping_the_gateway()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var executable = PrometheusServer.FindExecutable();
        if (executable is null)
        {
            const string reason = "prometheus is not installed (Debian package 'prometheus'; .ci/run installs it)";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }

        var metricsPort = GatewayProcess.FreeLoopbackPort();
        await using var gateway = await GatewayProcess.StartAsync(
            cancellationToken,
            "--Telemetry:Prometheus:Enabled=true",
            "--Telemetry:Prometheus:Host=127.0.0.1",
            "--Telemetry:Prometheus:Port=" + metricsPort.ToString(CultureInfo.InvariantCulture),
            // Low enough that the simulator is throttled (429) and has to back off, as Entra does.
            "--Scim:RateLimit:TokensPerSecond=150",
            "--Scim:RateLimit:BurstSize=20");
        var token = await gateway.AddTenantAsync(Tenant);
        var metricsTarget = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{metricsPort}/"));
        await using var prometheus = await PrometheusServer.StartAsync(executable, metricsTarget, PrometheusScrapeEndpoint.Path, cancellationToken);
        await prometheus.WaitUntilAsync(
            async () => (await prometheus.QueryAsync($"up{{job=\"{PrometheusServer.Job}\"}} == 1", cancellationToken)).GetArrayLength() == 1,
            TimeSpan.FromSeconds(60),
            "Prometheus never scraped the gateway's metrics port",
            cancellationToken);

        await ProvokeConflictsAsync(gateway.TenantUrl(Tenant), token, cancellationToken);
        for (var run = 0; run < 2; run++)
        {
            // Two runs, so that every series exists at one scrape and has grown by a later one.
            var result = await GatewayProcess.RunAsync("simulate", "--url", gateway.TenantUrl(Tenant).AbsoluteUri, "--token", token, "--users", "60", "--concurrency", "8", "--json");
            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
        }

        await ProvokeConflictsAsync(gateway.TenantUrl(Tenant), token, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        var panels = DashboardTargets();
        Assert.NotEmpty(panels);
        var evaluated = new StringBuilder();
        foreach (var (panel, expression, legend) in panels)
        {
            // Grafana's $__rate_interval: a window that covers the whole provisioning run.
            var query = expression.Replace("$__rate_interval", "2m", StringComparison.Ordinal);
            var series = await prometheus.QueryAsync(query, cancellationToken);
            var labels = LabelsUsed(expression, legend);
            evaluated.AppendLine(CultureInfo.InvariantCulture, $"{panel}: {query}");
            foreach (var sample in series.EnumerateArray())
            {
                evaluated.AppendLine(CultureInfo.InvariantCulture, $"    {sample.GetProperty("metric")} = {sample.GetProperty("value")[1].GetString()}");
            }

            Assert.True(series.GetArrayLength() > 0, $"'{panel}' shows no data: {query}");
            Assert.Contains(series.EnumerateArray(), s => double.TryParse(s.GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value));
            foreach (var sample in series.EnumerateArray())
            {
                var metric = sample.GetProperty("metric");
                foreach (var label in labels)
                {
                    Assert.True(
                        metric.TryGetProperty(label, out var value) && !string.IsNullOrEmpty(value.GetString()),
                        $"'{panel}' uses label '{label}', missing from {metric} ({query})");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(evaluated.ToString());
        var report = Environment.GetEnvironmentVariable("VERITAS_PROMETHEUS_REPORT");
        if (!string.IsNullOrEmpty(report))
        {
            await File.WriteAllTextAsync(report, evaluated.ToString(), cancellationToken);
        }
    }

    [Fact]
    public void The_labels_a_panel_uses_are_its_legend_placeholders_and_grouping_labels_but_not_le()
    {
        Assert.Equal(
            ["db_operation_name", "scim_operation"],
            LabelsUsed("histogram_quantile(0.95, sum by (le, db_operation_name) (rate(x_bucket[5m])))", "{{scim_operation}} {{db_operation_name}}").Order());
        Assert.Empty(LabelsUsed("sum(rate(a_total[5m]))", "conflicts"));
    }

    /// <summary>A duplicate userName (409 uniqueness) and an alias live on another account (409, alias conflict).</summary>
    private static async Task ProvokeConflictsAsync(Uri tenantUrl, string token, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var run = Guid.NewGuid().ToString("N")[..8];
        var shared = $"shared.{run}@conflict.example";

        async Task<HttpStatusCode> CreateAsync(string userName, string aliases)
        {
            var body = $$$"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{{userName}}}","active":true,
                 "emails":[{"type":"work","primary":true,"value":"{{{userName}}}"}],
                 "urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"{{{aliases}}}"}}
                """;
            using var content = new StringContent(body, Encoding.UTF8, "application/scim+json");
            using var response = await client.PostAsync(new Uri(tenantUrl.AbsoluteUri + "/Users"), content, cancellationToken);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await CreateAsync($"first.{run}@conflict.example", "smtp:" + shared));
        Assert.Equal(HttpStatusCode.Conflict, await CreateAsync($"first.{run}@conflict.example", string.Empty));
        Assert.Equal(HttpStatusCode.Conflict, await CreateAsync($"second.{run}@conflict.example", "smtp:" + shared));
    }

    private static List<(string Panel, string Expression, string Legend)> DashboardTargets()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read(DashboardPath));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => (panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(target => (
                    panel.GetProperty("title").GetString()!,
                    target.GetProperty("expr").GetString()!,
                    target.TryGetProperty("legendFormat", out var legend) ? legend.GetString() ?? string.Empty : string.Empty)))];
    }

    /// <summary>The labels a panel shows or groups by: its legend's <c>{{label}}</c> placeholders and the outermost <c>by (…)</c> labels, without <c>le</c>.</summary>
    private static HashSet<string> LabelsUsed(string expression, string legend)
    {
        var labels = LegendPlaceholder().Matches(legend).Select(m => m.Groups["label"].Value).ToHashSet(StringComparer.Ordinal);
        var grouping = GroupingClause().Match(expression);
        if (grouping.Success)
        {
            labels.UnionWith(grouping.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        labels.Remove("le");
        return labels;
    }

    [GeneratedRegex(@"\{\{\s*(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")]
    private static partial Regex LegendPlaceholder();

    [GeneratedRegex(@"\bby\s*\((?<labels>[^)]*)\)")]
    private static partial Regex GroupingClause();
}
