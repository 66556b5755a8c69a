using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritas.Scim.Gateway.Cli;
using Veritas.Scim.Gateway.Hosting;

namespace Veritas.Scim.Benchmarks.Gateway;

/// <summary>
/// The whole request path of Entra's four calls, in one process: the real gateway on Kestrel on
/// loopback over a fresh embedded store, driven by HttpClient. The memory diagnoser's bytes per
/// operation are the yardstick (they include the client's own share, which
/// <see cref="Liveness"/> shows: the same client against the cheapest route of the same server).
/// Run: dotnet run -c Release --project tests/Veritas.Scim.Benchmarks -- --filter *RequestPath* --job short
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks : IDisposable
{
    private const string TenantKey = "bench";
    private const string ScimJson = "application/scim+json";

    private string _dataDirectory = null!;
    private WebApplication _app = null!;
    private HttpClient? _client;
    private string _existingId = null!;
    private string _existingUserName = null!;
    private int _created;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "veritas-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        string[] settings = [$"--Scim:DataDirectory={_dataDirectory}", "--Scim:CreateDemoTenant=false"];
        using var tokenOutput = new StringWriter(CultureInfo.InvariantCulture);
        if (await GatewayCli.RunAsync(["tenant", "add", TenantKey, .. settings], tokenOutput, TextWriter.Null, CancellationToken.None) != 0)
        {
            throw new InvalidOperationException("tenant add failed");
        }

        _app = ScimGatewayApplication.Build(
            ["--urls", "http://127.0.0.1:0", .. settings, "--Scim:RateLimit:TokensPerSecond=100000", "--Scim:RateLimit:BurstSize=100000"],
            builder => builder.Logging.ClearProviders());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address + "/scim/" + TenantKey + "/v2/") };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenOutput.ToString().Trim());

        _existingUserName = "existing@bench.example.com";
        using var created = await Client.PostAsync("Users", Json(NewUser(_existingUserName, 0)));
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        _existingId = body.RootElement.GetProperty("id").GetString()!;
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "GET /healthz (client + Kestrel floor)")]
    public Task<int> Liveness() => SendAsync(HttpMethod.Get, new Uri(Client.BaseAddress!, "/healthz").ToString());

    [Benchmark(Description = "GET /Users?filter=userName eq (found)")]
    public Task<int> QueryByUserName() => SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString($"userName eq \"{_existingUserName}\""));

    [Benchmark(Description = "GET /Users/{id}")]
    public Task<int> GetById() => SendAsync(HttpMethod.Get, "Users/" + _existingId);

    [Benchmark(Description = "PATCH Entra Replace (displayName, active)")]
    public Task<int> PatchReplace() => SendAsync(HttpMethod.Patch, "Users/" + _existingId, ReplaceBody(Interlocked.Increment(ref _created)));

    [Benchmark(Description = "POST /Users (with emailAliases)")]
    public Task<int> Create()
    {
        var i = Interlocked.Increment(ref _created);
        return SendAsync(HttpMethod.Post, "Users", NewUser(string.Create(CultureInfo.InvariantCulture, $"u{i}@bench.example.com"), i));
    }

    private HttpClient Client => _client ?? throw new InvalidOperationException("Not started.");

    private async Task<int> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = Json(json);
        }

        using var response = await Client.SendAsync(request);
        var length = (await response.Content.ReadAsByteArrayAsync()).Length;
        return response.IsSuccessStatusCode ? length : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode}");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, ScimJson);

    private static string NewUser(string userName, int i) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:veritas:2.0:User"],
         "userName":"{{userName}}","externalId":"ext-{{userName}}","active":true,"displayName":"Bench User {{i}}",
         "name":{"givenName":"Bench","familyName":"User {{i}}"},
         "emails":[{"type":"work","primary":true,"value":"{{userName}}"}],
         "urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"SMTP:{{userName}},smtp:alias.{{userName}}"} }
        """;

    private static string ReplaceBody(int i) => $$"""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
         {"op":"Replace","path":"displayName","value":"Patched User {{i}}"},
         {"op":"Replace","path":"active","value":"{{(i % 2 == 0 ? "False" : "True")}}"}]}
        """;
}
