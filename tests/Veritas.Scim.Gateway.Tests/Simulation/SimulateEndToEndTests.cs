using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Veritas.Scim.Gateway.Cli.Simulation;

namespace Veritas.Scim.Gateway.Tests.Simulation;

/// <summary>
/// <c>simulate</c> as an operator runs it: the real executable against the real gateway, both as
/// child processes on loopback. The JSON report's counts are checked, and then what the cycle
/// left in the store is read back over SCIM.
/// </summary>
public sealed class SimulateEndToEndTests(SimulationGatewayFixture fixture) : IClassFixture<SimulationGatewayFixture>
{
    private const int Users = 24;

    [Fact]
    public async Task The_whole_cycle_sends_what_Entra_sends_gets_every_expected_answer_and_leaves_no_user()
    {
        var (result, report) = await SimulateAsync("--cycle", "all");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(0, report.GetProperty("failedRequests").GetInt32());
        // Test Connection, then per user: query + create, query + PATCH, query + PATCH, DELETE.
        Assert.Equal(1 + (Users * 7), report.GetProperty("totalRequests").GetInt32());
        Assert.Equal(1, Requests(report, "test-connection", "query-random-user"));
        foreach (var (phase, operation) in new[] { ("initial", "query"), ("initial", "create"), ("incremental", "query"), ("incremental", "update"), ("leavers", "query"), ("leavers", "disable"), ("delete", "delete") })
        {
            Assert.Equal(Users, Requests(report, phase, operation));
            Assert.Equal(0, Errors(report, phase, operation));
        }

        Assert.Equal(
            ["test-connection", "initial", "incremental", "leavers", "delete"],
            report.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Empty(await UsersWithPrefixAsync(Prefix(report)));
    }

    [Fact]
    public async Task The_leavers_cycle_leaves_every_user_disabled_with_the_aliases_Entra_sent()
    {
        var (result, report) = await SimulateAsync("--cycle", "leavers");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(Users, Requests(report, "leavers", "disable"));
        var prefix = Prefix(report);
        var users = await UsersWithPrefixAsync(prefix);
        Assert.Equal(Users, users.Count);
        Assert.All(users, user => Assert.False(user.GetProperty("active").GetBoolean()));
        var first = users.Single(u => u.GetProperty("userName").GetString() == EntraProvisioningRequests.UserName(prefix, 1));
        var aliases = first.GetProperty(EntraProvisioningRequests.VeritasSchema).GetProperty("emailAliases").GetString();
        // Entra's Join(",", proxyAddresses), as sent: primary and secondary SMTP entries and an x500 entry.
        Assert.Equal(EntraProvisioningRequests.ProxyAddresses(prefix, 1, generation: 1), aliases);
        Assert.StartsWith("SMTP:", aliases, StringComparison.Ordinal);
        Assert.Contains(",x500:", aliases, StringComparison.Ordinal);
        Assert.Equal("Simulated User 1", first.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task The_incremental_cycle_leaves_the_changes_it_patched_and_cleanup_removes_every_user_of_the_run()
    {
        var (result, report) = await SimulateAsync("--cycle", "incremental");
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var users = await UsersWithPrefixAsync(Prefix(report));
        Assert.Equal(Users, users.Count);
        Assert.All(users, user =>
        {
            Assert.True(user.GetProperty("active").GetBoolean());
            Assert.EndsWith("(renamed)", user.GetProperty("displayName").GetString(), StringComparison.Ordinal);
            Assert.Contains(".alias2@", user.GetProperty(EntraProvisioningRequests.VeritasSchema).GetProperty("emailAliases").GetString(), StringComparison.Ordinal);
        });

        var (cleaned, cleanedReport) = await SimulateAsync("--cycle", "initial", "--cleanup");
        Assert.True(cleaned.ExitCode == 0, cleaned.StandardOutput + cleaned.StandardError);
        Assert.Equal(Users, Requests(cleanedReport, "cleanup", "delete"));
        Assert.True(cleanedReport.GetProperty("cleanup").GetBoolean());
        Assert.Empty(await UsersWithPrefixAsync(Prefix(cleanedReport)));
    }

    [Fact]
    public async Task A_wrong_token_fails_the_run_with_exit_code_1_and_the_scim_errors_as_samples()
    {
        var result = await GatewayProcess.RunAsync("simulate", "--url", fixture.TenantUrl.AbsoluteUri, "--token", "not-the-token", "--users", "3", "--json");

        Assert.Equal(1, result.ExitCode);
        var report = JsonDocument.Parse(result.StandardOutput).RootElement;
        // Like Entra, nothing is provisioned after a failed Test Connection.
        Assert.Equal(1, report.GetProperty("totalRequests").GetInt32());
        Assert.Equal(1, report.GetProperty("failedRequests").GetInt32());
        Assert.Equal(["test-connection"], report.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var connection = Operation(report, "test-connection", "query-random-user");
        var sample = Assert.Single(connection.GetProperty("errorSamples").EnumerateArray());
        Assert.Equal(401, sample.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(sample.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Without_json_stdout_has_one_row_per_operation_with_its_latency_columns()
    {
        var result = await GatewayProcess.RunAsync("simulate", "--url", fixture.TenantUrl.AbsoluteUri, "--token", fixture.Token, "--users", "5", "--cycle", "initial", "--cleanup");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["phase", "operation", "method", "requests", "errors", "429s", "req/s", "p50", "ms", "p90", "ms", "p99", "ms", "max", "ms"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["initial", "create", "POST", "5", "0", ..]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["cleanup", "delete", "DELETE", "5", "0", ..]);
        Assert.EndsWith("0 failed; cleaned up.", lines[^1], StringComparison.Ordinal);
        // Progress went to stderr as plain lines, one per phase end at least.
        Assert.Contains("initial: 5/5 done", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--users", "0")]
    [InlineData("--users", "ten")]
    [InlineData("--cycle", "weekly")]
    [InlineData("--concurrency", "0")]
    [InlineData("--url", "ftp://example.invalid/scim")]
    public async Task A_bad_option_is_a_usage_error_with_exit_code_2_naming_the_option(string option, string value)
    {
        List<string> args = ["simulate", "--url", fixture.TenantUrl.AbsoluteUri, "--token", fixture.Token, "--users", "2"];
        var index = args.IndexOf(option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = await GatewayProcess.RunAsync([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    private async Task<(Infrastructure.CliResult Result, JsonElement Report)> SimulateAsync(params string[] args)
    {
        var result = await GatewayProcess.RunAsync(
        [
            "simulate", "--url", fixture.TenantUrl.AbsoluteUri, "--token", fixture.Token,
            "--users", Users.ToString(CultureInfo.InvariantCulture), "--concurrency", "4", "--json", .. args,
        ]);
        Assert.True(result.StandardOutput.TrimStart().StartsWith('{'), "no JSON report: " + result.StandardOutput + result.StandardError);
        return (result, JsonDocument.Parse(result.StandardOutput).RootElement.Clone());
    }

    private async Task<List<JsonElement>> UsersWithPrefixAsync(string prefix)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Token);
        var filter = Uri.EscapeDataString($"userName sw \"{prefix}.\"");
        var body = await client.GetStringAsync(new Uri(fixture.TenantUrl.AbsoluteUri + "/Users?count=200&filter=" + filter), TestContext.Current.CancellationToken);
        var list = JsonDocument.Parse(body).RootElement;
        return list.TryGetProperty("Resources", out var resources) ? [.. resources.EnumerateArray().Select(r => r.Clone())] : [];
    }

    private static string Prefix(JsonElement report) => report.GetProperty("prefix").GetString()!;

    private static int Requests(JsonElement report, string phase, string operation) => Operation(report, phase, operation).GetProperty("requests").GetInt32();

    private static int Errors(JsonElement report, string phase, string operation) => Operation(report, phase, operation).GetProperty("errors").GetInt32();

    private static JsonElement Operation(JsonElement report, string phase, string operation) =>
        Assert.Single(report.GetProperty("operations").EnumerateArray(), o => o.GetProperty("phase").GetString() == phase && o.GetProperty("operation").GetString() == operation);
}

/// <summary>One gateway process for the class, with a tenant of its own.</summary>
public sealed class SimulationGatewayFixture : IAsyncLifetime
{
    private GatewayProcess? _gateway;

    public Uri TenantUrl { get; private set; } = null!;

    public string Token { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayProcess.StartAsync(TestContext.Current.CancellationToken);
        Token = await _gateway.AddTenantAsync("simulated");
        TenantUrl = _gateway.TenantUrl("simulated");
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
