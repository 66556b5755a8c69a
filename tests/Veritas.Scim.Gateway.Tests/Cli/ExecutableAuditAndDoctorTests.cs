using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.Cli;

/// <summary>`audit` and `doctor` as an operator runs them: the real executable on the data folder of a gateway that served real requests.</summary>
public sealed class ExecutableAuditAndDoctorTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Audit_shows_each_write_newest_first_with_the_trace_id_of_its_request_filtered_and_paged()
    {
        using var cli = new GatewayExecutable();
        var userName = UniqueUserName("Audited");
        var keptUserName = UniqueUserName("Kept");
        string id;
        string keptId;
        var traces = new List<string>();
        await using (var gateway = new StandaloneGateway(createDemoTenant: false, cli.DataDirectory))
        {
            await gateway.InitializeAsync();
            var token = await gateway.AddTenantAsync("audited");
            await gateway.AddTenantAsync("other");

            // A client that sends the traceparent as written (the test process's own propagator would replace it).
            using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.Address };

            async Task<HttpResponseMessage> SendTracedAsync(HttpMethod method, string path, string? json)
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                var trace = ActivityTraceId.CreateRandom().ToHexString();
                request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
                traces.Add(trace);
                if (json is not null)
                {
                    request.Content = new StringContent(json, System.Text.Encoding.UTF8, GatewayHost.ScimMediaType);
                }

                return await client.SendAsync(request, TestContext.Current.CancellationToken);
            }

            using (var created = await SendTracedAsync(HttpMethod.Post, "/scim/audited/v2/Users", CreateUser(userName)))
            {
                id = (string)(await GatewayHost.AssertScimAsync(created, 201))["id"]!;
            }

            using (var patched = await SendTracedAsync(HttpMethod.Patch, $"/scim/audited/v2/Users/{id}", Patch("""{"op": "Replace", "path": "active", "value": "False"}""")))
            {
                await GatewayHost.AssertScimAsync(patched, 200);
            }

            using var deleted = await SendTracedAsync(HttpMethod.Delete, $"/scim/audited/v2/Users/{id}", null);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

            // A user that stays, to be found by userName.
            keptId = (string)(await gateway.CreateUserAsync("audited", token, CreateUser(keptUserName)))["id"]!;
        }

        var all = await cli.RunAsync("audit", "--tenant", "audited");
        Assert.True(all.ExitCode == 0, all.StandardError);
        var lines = Lines(all.StandardOutput).Select(line => line.Split('\t')).ToList();
        Assert.Equal(keptId, lines[0][3]);
        var rows = lines.Skip(1).Take(3).ToList();
        Assert.Equal(["DeleteUser", "UpdateUser", "CreateUser"], rows.Select(r => r[2]));
        Assert.All(rows, r => Assert.Equal(["audited", id, "Succeeded", userName], new[] { r[0], r[3], r[4], r[6] }));
        Assert.Equal(Enumerable.Reverse(traces), rows.Select(r => r[5]));
        // `tenant add` made the tenant and its first token: both audited, with no SCIM id.
        Assert.Equal([["AddToken", "-", "-"], ["AddTenant", "-", "-"]], lines.Skip(4).Select(r => new[] { r[2], r[3], r[6] }));

        var byId = await cli.RunAsync("audit", "--tenant", "audited", "--user", id, "--operation", "createuser");
        Assert.Equal(traces[0], Assert.Single(Lines(byId.StandardOutput)).Split('\t')[5]);
        var byUserName = await cli.RunAsync("audit", "--tenant", "audited", "--user", keptUserName);
        Assert.Equal(keptId, Assert.Single(Lines(byUserName.StandardOutput)).Split('\t')[3]);

        var firstPage = await cli.RunAsync("audit", "--tenant", "audited", "--limit", "3");
        Assert.Equal(3, Lines(firstPage.StandardOutput).Length);
        var continuation = Assert.Single(Lines(firstPage.StandardError), line => line.StartsWith("More rows:", StringComparison.Ordinal)).Split(' ')[^1];
        var secondPage = await cli.RunAsync("audit", "--tenant", "audited", "--limit", "3", "--continue", continuation, "--json");
        var json = JsonNode.Parse(secondPage.StandardOutput)!;
        Assert.Null(json["continuation"]);
        var entries = json["entries"]!.AsArray();
        Assert.Equal(["CreateUser", "AddToken", "AddTenant"], entries.Select(e => (string?)e!["operation"]));
        Assert.Equal(traces[0], (string?)entries[0]!["correlationId"]);
        Assert.Equal(userName, (string?)entries[0]!["userName"]);

        Assert.Empty((await cli.RunAsync("audit", "--tenant", "audited", "--since", "2099-01-01T00:00Z")).StandardOutput);
        Assert.Equal(6, Lines((await cli.RunAsync("audit", "--tenant", "audited", "--since", "1h")).StandardOutput).Length);
        Assert.Equal(["AddToken", "AddTenant"], Lines((await cli.RunAsync("audit", "--tenant", "other")).StandardOutput).Select(line => line.Split('\t')[2]));

        var unknown = await cli.RunAsync("audit", "--tenant", "nobody");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no tenant 'nobody'", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_by_user_name_finds_a_deleted_accounts_create_and_delete_rows()
    {
        using var cli = new GatewayExecutable();
        var leaver = UniqueUserName("Leaver");
        string id;
        await using (var gateway = new StandaloneGateway(createDemoTenant: false, cli.DataDirectory))
        {
            await gateway.InitializeAsync();
            var token = await gateway.AddTenantAsync("leavers");
            id = (string)(await gateway.CreateUserAsync("leavers", token, CreateUser(leaver)))["id"]!;
            using var deleted = await gateway.SendAsync(HttpMethod.Delete, $"/scim/leavers/v2/Users/{id}", token);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            using var gone = await gateway.SendAsync(HttpMethod.Get, $"/scim/leavers/v2/Users/{id}", token);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // By name, in another letter case, as an operator types it from the leaver ticket.
        var byName = await cli.RunAsync("audit", "--tenant", "leavers", "--user", leaver.ToUpperInvariant());

        Assert.True(byName.ExitCode == 0, byName.StandardError);
        var rows = Lines(byName.StandardOutput).Select(line => line.Split('\t')).ToList();
        Assert.Equal([["DeleteUser", id, leaver], ["CreateUser", id, leaver]], rows.Select(r => new[] { r[2], r[3], r[6] }));
        var byId = await cli.RunAsync("audit", "--tenant", "leavers", "--user", id, "--json");
        Assert.Equal(["DeleteUser", "CreateUser"], JsonNode.Parse(byId.StandardOutput)!["entries"]!.AsArray().Select(e => (string?)e!["operation"]));
        Assert.Empty((await cli.RunAsync("audit", "--tenant", "leavers", "--user", "someone.else@example.test")).StandardOutput);
    }

    [Fact]
    public async Task Doctor_passes_a_deployment_with_a_tenant_and_a_live_legacy_archive_and_exits_0()
    {
        using var cli = new GatewayExecutable();
        await using var legacy = await LegacyArchiveStub.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, (await cli.RunAsync("tenant", "add", "healthy")).ExitCode);

        var result = await cli.RunAsync("doctor", LegacyAddress(legacy.Address));

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var rows = Rows(result.StandardOutput);
        Assert.DoesNotContain(rows, r => r.Status == "fail");
        Assert.Equal("pass", rows.Single(r => r.Check == "tenant with a live token").Status);
        Assert.Equal("pass", rows.Single(r => r.Check == "schema version").Status);
        Assert.Equal("pass", rows.Single(r => r.Check == "SCIM route scim").Status);
        Assert.Contains(legacy.Address.ToString(), rows.Single(r => r.Check == "legacy route legacy-archive").Detail, StringComparison.Ordinal);
        Assert.Contains(legacy.Received, line => line.StartsWith("GET /", StringComparison.Ordinal));
        Assert.Equal("warn", rows.Single(r => r.Check == "public URL and TLS").Status);
    }

    [Fact]
    public async Task Doctor_fails_without_a_live_token_or_a_legacy_archive_and_says_what_to_do()
    {
        using var cli = new GatewayExecutable();
        Assert.Equal(0, (await cli.RunAsync("tenant", "add", "lonely")).ExitCode);
        var tokenId = Lines((await cli.RunAsync("tenant", "token", "list", "lonely")).StandardOutput)[0].Split('\t')[0];
        Assert.Equal(0, (await cli.RunAsync("tenant", "token", "revoke", "lonely", tokenId)).ExitCode);

        var result = await cli.RunAsync("doctor", "--json", LegacyAddress(new Uri($"http://127.0.0.1:{ClosedPort()}/")));

        Assert.Equal(1, result.ExitCode);
        var findings = JsonNode.Parse(result.StandardOutput)!.AsArray();
        var tenant = findings.Single(f => (string?)f!["check"] == "tenant with a live token")!;
        Assert.Equal("fail", (string?)tenant["status"]);
        Assert.Contains("tenant add", (string?)tenant["fix"], StringComparison.Ordinal);
        var route = findings.Single(f => (string?)f!["check"] == "legacy route legacy-archive")!;
        Assert.Equal("fail", (string?)route["status"]);
        Assert.Contains("does not answer", (string?)route["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_lists_every_configuration_problem_at_once_and_exits_1()
    {
        using var cli = new GatewayExecutable();

        var result = await cli.RunAsync("doctor", "--Scim:MaxResults=0", "--Scim:Audit:Retention=00:00:01", "--Scim:RateLimit:BurstSize=0");

        Assert.Equal(1, result.ExitCode);
        var rows = Rows(result.StandardOutput);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(("fail", "configuration valid"), (r.Status, r.Check)));
        Assert.Contains(rows, r => r.Detail.Contains("MaxResults", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Detail.Contains("Scim:Audit:Retention", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Detail.Contains("BurstSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_warns_on_plain_http_and_on_a_self_signed_certificate_and_fails_an_unreachable_exporter()
    {
        using var cli = new GatewayExecutable();
        await using var legacy = await LegacyArchiveStub.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, (await cli.RunAsync("tenant", "add", "tls")).ExitCode);
        var certificatePath = Path.Combine(cli.DataDirectory, "self-signed.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=scim.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, "secret"), TestContext.Current.CancellationToken);
        }

        var http = Rows((await cli.RunAsync("doctor", LegacyAddress(legacy.Address), "--Scim:PublicBaseUrl=http://scim.example.test")).StandardOutput);
        var plain = http.Single(r => r.Check == "public URL and TLS");
        Assert.Equal("warn", plain.Status);
        Assert.Contains("plain HTTP", plain.Detail, StringComparison.Ordinal);

        var selfSigned = Rows((await cli.RunAsync("doctor", LegacyAddress(legacy.Address), $"--Kestrel:Certificates:Default:Path={certificatePath}", "--Kestrel:Certificates:Default:Password=secret")).StandardOutput)
            .Single(r => r.Check == "public URL and TLS");
        Assert.Equal("warn", selfSigned.Status);
        Assert.Contains("self-signed", selfSigned.Detail, StringComparison.Ordinal);

        cli.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{ClosedPort()}";
        var exporter = await cli.RunAsync("doctor", LegacyAddress(legacy.Address));
        Assert.Equal(1, exporter.ExitCode);
        Assert.Equal("fail", Rows(exporter.StandardOutput).Single(r => r.Check == "OpenTelemetry exporter").Status);

        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        cli.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{((IPEndPoint)collector.LocalEndpoint).Port}";
        var reachable = await cli.RunAsync("doctor", LegacyAddress(legacy.Address));
        Assert.True(reachable.ExitCode == 0, reachable.StandardOutput);
        Assert.Equal("pass", Rows(reachable.StandardOutput).Single(r => r.Check == "OpenTelemetry exporter").Status);
    }

    private static string LegacyAddress(Uri address) => $"--ReverseProxy:Clusters:legacy-archive:Destinations:archive:Address={address}";

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static List<(string Status, string Check, string Detail, string Fix)> Rows(string stdout) =>
        [.. Lines(stdout).Select(line => line.Split('\t')).Select(f => (f[0], f[1], f[2], f.Length > 3 ? f[3] : string.Empty))];
}
