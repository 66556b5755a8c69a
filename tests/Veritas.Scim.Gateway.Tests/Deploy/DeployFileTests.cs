using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Gateway.Cli;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.Hosting;
using Veritas.Scim.Translation.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Veritas.Scim.Gateway.Tests.Deploy;

/// <summary>
/// What can be checked about deploy/ without Docker or a cluster: every file parses, the
/// dashboard queries only metrics the code emits, and the image, compose file and manifests
/// agree with the application (assembly, port, probe paths, CLI verb).
/// </summary>
public sealed partial class DeployFileTests
{
    private const string DashboardPath = "deploy/grafana/dashboards/scim-gateway.json";

    /// <summary>Metrics of ASP.NET Core's instrumentation the dashboard may read, as (name, unit, kind).</summary>
    private static readonly (string Name, string Unit, InstrumentKind Kind)[] FrameworkInstruments =
    [
        ("http.server.request.duration", "s", InstrumentKind.Histogram),
    ];

    public static TheoryData<string> YamlFiles() => [.. FilesUnder("*.yaml", "*.yml")];

    public static TheoryData<string> JsonFiles() => [.. FilesUnder("*.json")];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_parses(string relativePath)
    {
        var stream = LoadYaml(relativePath);

        Assert.NotEmpty(stream.Documents);
        Assert.All(stream.Documents, document => Assert.IsType<YamlMappingNode>(document.RootNode));
    }

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void Every_json_file_parses(string relativePath)
    {
        using var document = JsonDocument.Parse(RepositoryFiles.Read(relativePath));

        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void The_deploy_folder_and_the_workflow_have_yaml_and_json_to_check()
    {
        Assert.Contains("deploy/docker-compose.yml", YamlFiles().Select(row => row.Data));
        Assert.Contains(".github/workflows/ci.yml", YamlFiles().Select(row => row.Data));
        Assert.Contains(DashboardPath, JsonFiles().Select(row => row.Data));
    }

    [Fact]
    public void Every_declared_instrument_is_created_when_the_meter_is_listened_to()
    {
        var published = PublishedInstruments();

        Assert.Equal(ScimTelemetry.InstrumentNames.Order(StringComparer.Ordinal), published.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_metric_the_dashboard_queries_is_one_the_gateway_emits()
    {
        var emitted = PublishedInstruments().Values
            .SelectMany(i => PrometheusNames.For(i.Name, i.Unit, PrometheusNames.KindOf(i)))
            .Concat(FrameworkInstruments.SelectMany(i => PrometheusNames.For(i.Name, i.Unit, i.Kind)))
            .ToHashSet(StringComparer.Ordinal);
        var expressions = DashboardExpressions();

        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            var queried = PrometheusNames.QueriedBy(expression);
            Assert.NotEmpty(queried);
            Assert.All(queried, name => Assert.True(emitted.Contains(name), $"The dashboard queries '{name}' ({expression}), which the gateway does not emit."));
        }
    }

    [Fact]
    public void The_dashboard_has_the_panels_operators_need()
    {
        var queried = DashboardExpressions().SelectMany(PrometheusNames.QueriedBy).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("scim_provisioning_outcomes_total", queried);
        Assert.Contains("scim_requests_total", queried);
        Assert.Contains("scim_operation_duration_seconds_bucket", queried);
        Assert.Contains("scim_aliases_conflicts_total", queried);
        Assert.Contains("scim_rate_limited_total", queried);
        Assert.Contains("scim_store_retries_total", queried);
        Assert.Contains("scim_store_circuit_breaker_state", queried);
        Assert.Contains("scim_store_commit_duration_seconds_bucket", queried);
        Assert.Contains("scim_store_commit_requests_count", queried);
        Assert.Contains(DashboardExpressions(), e => e.Contains("scim_type", StringComparison.Ordinal));
    }

    [Fact]
    public void The_conversion_follows_the_collectors_naming()
    {
        Assert.Equal(["scim_requests_total"], PrometheusNames.For("scim.requests", "{request}", InstrumentKind.Counter));
        Assert.Equal(["http_server_request_duration_seconds_bucket", "http_server_request_duration_seconds_sum", "http_server_request_duration_seconds_count"], PrometheusNames.For("http.server.request.duration", "s", InstrumentKind.Histogram));
        Assert.Equal(["scim_store_circuit_breaker_state"], PrometheusNames.For("scim.store.circuit_breaker.state", "{state}", InstrumentKind.Gauge));
        Assert.Equal(["a_total", "b_bucket"], PrometheusNames.QueriedBy("histogram_quantile(0.95, sum by (le, x) (rate(b_bucket{k=~\"4..\"}[$__rate_interval]))) / sum(rate(a_total[5m]))").Order());
    }

    [Fact]
    public void The_image_runs_the_gateway_assembly_on_the_port_it_exposes()
    {
        var dockerfile = RepositoryFiles.Read("deploy/Dockerfile");
        var assembly = typeof(ScimGatewayApplication).Assembly.GetName().Name + ".dll";

        var entrypoint = Assert.Single(DockerInstruction().Matches(dockerfile), m => m.Groups["op"].Value == "ENTRYPOINT").Groups["args"].Value;
        Assert.Equal($"[\"dotnet\", \"{assembly}\"]", entrypoint.Trim());
        var exposed = Assert.Single(DockerInstruction().Matches(dockerfile), m => m.Groups["op"].Value == "EXPOSE").Groups["args"].Value.Trim();
        Assert.Equal(exposed, HttpPortsVariable().Match(dockerfile).Groups["port"].Value);
        Assert.Contains(DockerInstruction().Matches(dockerfile), m => m.Groups["op"].Value == "USER" && m.Groups["args"].Value.Trim() == "$APP_UID");
        // The SQL Server store embeds ../../sql, so the build stage needs it beside src/.
        Assert.Contains(DockerInstruction().Matches(dockerfile), m => m.Groups["op"].Value == "COPY" && m.Groups["args"].Value.Trim() == "sql/ sql/");
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build", dockerfile);
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime", dockerfile);

        var compose = Mapping(LoadYaml("deploy/docker-compose.yml").Documents[0].RootNode);
        var services = Mapping(compose["services"]);
        var gateway = Mapping(services["gateway"]);
        Assert.Contains(Sequence(gateway["ports"]), port => port.EndsWith(":" + exposed, StringComparison.Ordinal));

        var container = Mapping(Sequence<YamlMappingNode>(Mapping(Mapping(Mapping(Mapping(LoadYaml("deploy/kubernetes/deployment.yaml").Documents[0].RootNode)["spec"])["template"])["spec"])["containers"]).Single());
        Assert.Equal(exposed, Sequence<YamlMappingNode>(container["ports"]).Single(port => port["name"].ToString() == "http")["containerPort"].ToString());
    }

    [Fact]
    public void The_compose_file_deploys_the_schema_with_the_gateways_own_cli_verb_and_points_the_gateway_at_sql_server_and_the_collector()
    {
        var services = Mapping(Mapping(LoadYaml("deploy/docker-compose.yml").Documents[0].RootNode)["services"]);
        var schema = Mapping(services["schema"]);
        var command = Sequence(schema["command"]);
        Assert.True(GatewayCli.IsCommand([.. command]));
        Assert.Equal(["db", "deploy", "--connection"], command.Take(3));
        Assert.Contains("--with-legacy", command);

        var environment = Mapping(Mapping(services["gateway"])["environment"]);
        Assert.Equal("SqlServer", environment["Scim__Store"].ToString());
        Assert.Equal("http://otel-collector:4317", environment[GatewayTelemetry.OtlpEndpointSetting].ToString());
        Assert.StartsWith("Server=sqlserver;", environment["ConnectionStrings__Archive"].ToString(), StringComparison.Ordinal);
        Assert.Matches(@":\d", Mapping(services["sqlserver"])["image"].ToString());
        Assert.All(services.Children.Values.Select(Mapping).Where(s => s.Children.ContainsKey("image")), s => Assert.DoesNotContain(":latest", s["image"].ToString(), StringComparison.Ordinal));

        // Prometheus scrapes the port the collector's prometheus exporter listens on.
        var collector = Mapping(LoadYaml("deploy/otel-collector.yaml").Documents[0].RootNode);
        var exporterPort = Mapping(Mapping(collector["exporters"])["prometheus"])["endpoint"].ToString().Split(':')[^1];
        var prometheus = Mapping(LoadYaml("deploy/prometheus.yml").Documents[0].RootNode);
        var targets = Sequence<YamlMappingNode>(prometheus["scrape_configs"]).SelectMany(c => Sequence<YamlMappingNode>(c["static_configs"])).SelectMany(c => Sequence(c["targets"]));
        Assert.Contains("otel-collector:" + exporterPort, targets);
    }

    [Fact]
    public void The_kubernetes_manifests_probe_the_gateways_health_endpoints_run_locked_down_and_keep_secrets_out()
    {
        var deployment = Mapping(LoadYaml("deploy/kubernetes/deployment.yaml").Documents[0].RootNode);
        var pod = Mapping(Mapping(Mapping(deployment["spec"])["template"])["spec"]);
        var container = Sequence<YamlMappingNode>(pod["containers"]).Single();

        Assert.Equal(GatewayTelemetry.LivenessPath, Mapping(Mapping(container["livenessProbe"])["httpGet"])["path"].ToString());
        Assert.Equal(GatewayTelemetry.ReadinessPath, Mapping(Mapping(container["readinessProbe"])["httpGet"])["path"].ToString());
        Assert.Equal("true", Mapping(pod["securityContext"])["runAsNonRoot"].ToString());
        Assert.Equal("true", Mapping(container["securityContext"])["readOnlyRootFilesystem"].ToString());
        Assert.Contains(Sequence<YamlMappingNode>(container["volumeMounts"]), mount => mount["mountPath"].ToString() == "/tmp");
        Assert.True(container.Children.ContainsKey("resources"));
        Assert.True(Mapping(container["lifecycle"]).Children.ContainsKey("preStop"));
        Assert.True(int.Parse(pod["terminationGracePeriodSeconds"].ToString(), System.Globalization.CultureInfo.InvariantCulture) > 30);
        var connection = Sequence<YamlMappingNode>(container["env"]).Single(e => e["name"].ToString() == "ConnectionStrings__Archive");

        // Prometheus's pod discovery scrapes the port and path the gateway serves its metrics on, and the Service does not publish it.
        var annotations = Mapping(Mapping(Mapping(Mapping(deployment["spec"])["template"])["metadata"])["annotations"]);
        var settings = Mapping(Mapping(LoadYaml("deploy/kubernetes/configmap.yaml").Documents[0].RootNode)["data"]);
        Assert.Equal("true", annotations["prometheus.io/scrape"].ToString());
        Assert.Equal(PrometheusScrapeEndpoint.Path, annotations["prometheus.io/path"].ToString());
        Assert.Equal("true", settings["Telemetry__Prometheus__Enabled"].ToString());
        Assert.Equal(settings["Telemetry__Prometheus__Port"].ToString(), annotations["prometheus.io/port"].ToString());
        Assert.Contains(Sequence<YamlMappingNode>(container["ports"]), port => port["name"].ToString() == "metrics" && port["containerPort"].ToString() == annotations["prometheus.io/port"].ToString());
        var service = Mapping(LoadYaml("deploy/kubernetes/service.yaml").Documents[0].RootNode);
        Assert.DoesNotContain(Sequence<YamlMappingNode>(Mapping(service["spec"])["ports"]), port => port["targetPort"].ToString() is "metrics" or "9464");
        Assert.True(Mapping(connection["valueFrom"]).Children.ContainsKey("secretKeyRef"));

        var kinds = Directory.GetFiles(Path.Combine(RepositoryFiles.DeployDirectory, "kubernetes"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => LoadYaml(Path.GetRelativePath(RepositoryFiles.Root, f)).Documents)
            .Select(d => Mapping(d.RootNode)["kind"].ToString())
            .ToList();
        Assert.DoesNotContain("Secret", kinds);
        Assert.Superset(new HashSet<string> { "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap" }, kinds.ToHashSet());

        var kustomization = Mapping(LoadYaml("deploy/kubernetes/kustomization.yaml").Documents[0].RootNode);
        var listed = Sequence(kustomization["resources"]).ToHashSet();
        var manifests = Directory.GetFiles(Path.Combine(RepositoryFiles.DeployDirectory, "kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.All(manifests, file => Assert.Contains(file!, listed));
    }

    private static Dictionary<string, Instrument> PublishedInstruments()
    {
        // Each layer's instruments are created with its metrics class, made through the provider's IMeterFactory.
        using var services = new ServiceCollection().AddMetrics()
            .AddSingleton<GatewayMetrics>().AddSingleton<ProvisioningMetrics>().AddSingleton<ArchiveStoreMetrics>()
            .BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        string[] meters = [GatewayMetrics.MeterName, ScimTelemetry.Name, ArchiveStoreMetrics.MeterName];
        var published = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (meters.Contains(instrument.Meter.Name) && instrument.Meter.Scope == meterFactory)
                {
                    lock (published)
                    {
                        Assert.True(published.TryAdd(instrument.Name, instrument), $"'{instrument.Name}' is created twice.");
                    }
                }
            },
        };
        listener.Start();
        _ = services.GetRequiredService<GatewayMetrics>();
        _ = services.GetRequiredService<ProvisioningMetrics>();
        _ = services.GetRequiredService<ArchiveStoreMetrics>();
        return published;
    }

    private static List<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read(DashboardPath));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(target => target.GetProperty("expr").GetString()!)];
    }

    private static IEnumerable<string> FilesUnder(params string[] patterns)
    {
        string[] roots = [RepositoryFiles.DeployDirectory, RepositoryFiles.PathOf(".github")];
        return roots.Where(Directory.Exists)
            .SelectMany(root => patterns.SelectMany(pattern => Directory.GetFiles(root, pattern, SearchOption.AllDirectories)))
            .Select(file => Path.GetRelativePath(RepositoryFiles.Root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
    }

    private static YamlStream LoadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read(relativePath));
        stream.Load(reader);
        return stream;
    }

    private static YamlMappingNode Mapping(YamlNode node) => Assert.IsType<YamlMappingNode>(node);

    private static List<string> Sequence(YamlNode node) => [.. Assert.IsType<YamlSequenceNode>(node).Children.Select(child => child.ToString())];

    private static List<T> Sequence<T>(YamlNode node)
        where T : YamlNode => [.. Assert.IsType<YamlSequenceNode>(node).Children.Select(child => Assert.IsType<T>(child))];

    [GeneratedRegex(@"^(?<op>[A-Z]+)\s+(?<args>.+)$", RegexOptions.Multiline)]
    private static partial Regex DockerInstruction();

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(?<port>\d+)")]
    private static partial Regex HttpPortsVariable();
}
