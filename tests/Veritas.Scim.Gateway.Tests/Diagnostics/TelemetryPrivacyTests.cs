using System.Net;
using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Tests.Simulation;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// DESIGN.md §7: no token, e-mail address or user name in traces, metrics or logs, nor in what
/// Prometheus scrapes from <c>/metrics</c>. One whole provisioning cycle runs, then everything
/// captured is searched.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed partial class TelemetryPrivacyTests
{
    private const string UserName = "Priya.Private@demo.example.com";
    private const string Alias = "priya.alias@demo.example.com";
    private const string SecondAlias = "priya.second@demo-archive.example.com";
    private const string WrongToken = "NotTheRealTokenButStillASecret0123456789abcdef";

    [Fact]
    public async Task A_full_provisioning_cycle_leaves_no_token_address_or_user_name_in_any_span_metric_log_or_prometheus_scrape()
    {
        var metricsPort = GatewayProcess.FreeLoopbackPort();
        await using var gateway = await TelemetryGateway.StartAsync(
            TestContext.Current.CancellationToken,
            "--Telemetry:Prometheus:Enabled=true",
            "--Telemetry:Prometheus:Host=127.0.0.1",
            "--Telemetry:Prometheus:Port=" + metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var token = TestContext.Current.CancellationToken;

        var (created, _) = await gateway.SendAsync(HttpMethod.Post, "Users", $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{UserName}}", "externalId": "ext-4711", "active": true,
              "displayName": "Priya Private", "name": { "givenName": "Priya", "familyName": "Private" },
              "emails": [{ "type": "work", "primary": true, "value": "{{UserName}}" }],
              "urn:ietf:params:scim:schemas:extension:veritas:2.0:User": { "emailAliases": "SMTP:{{UserName}},smtp:{{Alias}},x500:/o=Org/cn=priya" }
            }
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(token)).RootElement.GetProperty("id").GetString();

        var (found, _) = await gateway.SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString($"userName eq \"{UserName}\""));
        Assert.Contains(id!, await found.Content.ReadAsStringAsync(token), StringComparison.Ordinal);
        var (byEmail, _) = await gateway.SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString($"emails[type eq \"work\"].value eq \"{UserName}\""));
        Assert.Equal(HttpStatusCode.OK, byEmail.StatusCode);
        var (patched, _) = await gateway.SendAsync(HttpMethod.Patch, "Users/" + id, $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"displayName","value":"Priya P. Private"},
              {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":"smtp:{{SecondAlias}}"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var (duplicate, _) = await gateway.SendAsync(HttpMethod.Post, "Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{UserName}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var (deleted, _) = await gateway.SendAsync(HttpMethod.Delete, "Users/" + id);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var (unauthorized, _) = await gateway.SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString($"userName eq \"{UserName}\""), token: WrongToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        var captured = Everything(gateway);
        using var scraper = new HttpClient();
        var scrape = await scraper.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), token);
        captured.AddRange(scrape.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "prometheus " + line));
        Assert.NotEmpty(captured);
        Assert.Contains(captured, text => text.StartsWith("prometheus scim_requests_total{", StringComparison.Ordinal));
        Assert.Contains(captured, text => text.StartsWith("prometheus scim_provisioning_outcomes_total{", StringComparison.Ordinal));
        // The run did produce the telemetry searched: it is not clean because it is empty.
        Assert.Contains(captured, text => text.Contains("scim User.delete", StringComparison.Ordinal));
        Assert.Contains(captured, text => text.Contains(ScimTelemetry.ProvisioningInstrument, StringComparison.Ordinal));
        Assert.Contains(captured, text => text.StartsWith("log ", StringComparison.Ordinal));

        string[] secrets = [gateway.Token, WrongToken, UserName, Alias, SecondAlias, "Priya", "ext-4711"];
        foreach (var text in captured)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' appears in: {text}");
            }

            Assert.False(EmailAddress().IsMatch(text), "an e-mail address appears in: " + text);
        }
    }

    /// <summary>Every string the exporters received: span names, tags, events, statuses; metric names and tags; log messages, state and exceptions.</summary>
    private static List<string> Everything(TelemetryGateway gateway)
    {
        var texts = new List<string>();
        lock (gateway.Spans)
        {
            foreach (var span in gateway.Spans)
            {
                texts.Add("span " + span.DisplayName + " " + span.OperationName + " " + span.StatusDescription);
                texts.AddRange(span.TagObjects.Select(t => $"span tag {t.Key}={t.Value}"));
                foreach (var spanEvent in span.Events)
                {
                    texts.Add("span event " + spanEvent.Name);
                    texts.AddRange(spanEvent.Tags.Select(t => $"span event tag {t.Key}={t.Value}"));
                }

                texts.AddRange(span.Baggage.Select(b => $"baggage {b.Key}={b.Value}"));
            }
        }

        gateway.Points(ScimTelemetry.RequestsInstrument);
        foreach (var metric in gateway.Metrics)
        {
            texts.Add("metric " + metric.Name + " " + metric.Description + " " + metric.Unit);
            foreach (ref readonly var point in metric.MetricPoints.ToArray().AsSpan())
            {
                foreach (var tag in point.Tags)
                {
                    texts.Add($"metric tag {metric.Name} {tag.Key}={tag.Value}");
                }
            }
        }

        lock (gateway.Logs)
        {
            foreach (var log in gateway.Logs)
            {
                texts.Add("log " + log.Category + " " + log.Message + " " + log.Exception);
                texts.AddRange(log.Attributes.Select(a => $"log attribute {a.Key}={a.Value}"));
            }
        }

        return texts;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}
