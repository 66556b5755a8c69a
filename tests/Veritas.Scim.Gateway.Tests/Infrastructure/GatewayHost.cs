using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veritas.Scim.Gateway.Cli;
using Veritas.Scim.Gateway.Hosting;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Infrastructure;

/// <summary>What a CLI invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// The real gateway on Kestrel on loopback, with its own data folder, configured through a
/// configuration source the test can change at run time (never process-wide environment
/// variables: test classes run in parallel). Tenants and tokens are made through the CLI entry
/// point on the same data folder, as an operator would.
/// </summary>
public class GatewayHost : IAsyncLifetime
{
    public const string ScimMediaType = "application/scim+json";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string VeritasSchema = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User";

    private readonly bool _createDemoTenant;
    private readonly bool _ownsDataDirectory;
    private WebApplication? _app;
    private HttpClient? _client;
    private bool _started;

    /// <param name="dataDirectory">An existing data folder to run on (kept afterwards); null for a new temporary one.</param>
    protected GatewayHost(bool createDemoTenant, string? dataDirectory = null)
    {
        _createDemoTenant = createDemoTenant;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "veritas-scim-e2e-" + Guid.NewGuid().ToString("N"));

    public string DataDirectory { get; }

    public Uri Address { get; private set; } = null!;

    public MutableConfigurationSource Configuration { get; private set; } = null!;

    /// <summary>Every log line the gateway wrote, with its level.</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    public HttpClient Client => _client ?? throw new InvalidOperationException("The gateway is not started.");

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway is not started.");

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var settings = new Dictionary<string, string?>
        {
            ["Scim:DataDirectory"] = DataDirectory,
            ["Scim:CreateDemoTenant"] = _createDemoTenant.ToString(CultureInfo.InvariantCulture),
            ["Scim:TokenCacheDuration"] = "00:00:00",
        };
        Configure(settings);
        Configuration = new MutableConfigurationSource(settings);

        _app = ScimGatewayApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(Configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
        }, ConfigureServices);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
        _client = new HttpClient(new NoServerErrorHandler(new SocketsHttpHandler())) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        await OnStartedAsync();
    }

    /// <summary>Stops the gateway as a host shutdown does (graceful: requests in flight finish).</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        (_app ?? throw new InvalidOperationException("The gateway is not started.")).StopAsync(cancellationToken);

    /// <summary>Settings of this fixture on top of the defaults (data folder, demo tenant, no token cache).</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    /// <summary>Replaces or decorates gateway services after they are registered.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            if (_started)
            {
                await _app.StopAsync(CancellationToken.None);
            }

            await _app.DisposeAsync();
        }

        if (_ownsDataDirectory)
        {
            DeleteDataDirectory(DataDirectory);
        }

        GC.SuppressFinalize(this);
    }

    public static void DeleteDataDirectory(string directory)
    {
        // SQLite keeps pooled connections open until they are cleared; then the folder can go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held by the OS is left for the temp cleaner rather than failing the run.
        }
    }

    /// <summary>The gateway's CLI on this fixture's data folder.</summary>
    public async Task<CliResult> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        string[] all =
        [
            .. args,
            $"--Scim:DataDirectory={DataDirectory}",
            $"--Scim:CreateDemoTenant={_createDemoTenant.ToString(CultureInfo.InvariantCulture)}",
        ];
        var exitCode = await GatewayCli.RunAsync(all, stdout, stderr, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Creates a tenant through the CLI and returns its first token.</summary>
    public async Task<string> AddTenantAsync(string tenantKey, string? customer = null)
    {
        var result = customer is null
            ? await RunCliAsync("tenant", "add", tenantKey)
            : await RunCliAsync("tenant", "add", tenantKey, "--customer", customer);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    /// <summary>Adds a token to an existing tenant through the CLI.</summary>
    public async Task<string> AddTokenAsync(string tenantKey)
    {
        var result = await RunCliAsync("tenant", "token", "add", tenantKey);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    public async Task<int> CustomerIdAsync(string tenantKey)
    {
        var tenants = await Services.GetRequiredService<ITenantStore>().ListTenantsAsync(TestContext.Current.CancellationToken);
        return tenants.Single(t => t.TenantKey == tenantKey).CustomerId;
    }

    /// <summary>The account as the archive store holds it (aliases as rows), bypassing SCIM.</summary>
    public async Task<ArchiveAccount?> ReadAccountAsync(string tenantKey, string id) =>
        await Services.GetRequiredService<IArchiveAccountStore>().GetAsync(await CustomerIdAsync(tenantKey), id, TestContext.Current.CancellationToken);

    /// <summary>Sends a request with a JSON body written as text, the way Entra sends it.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? token,
        string? json = null,
        string contentType = ScimMediaType,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        configure?.Invoke(request);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>POSTs a user and asserts Entra's expectations of a create: 201, Location, ETag, the resource.</summary>
    public async Task<JsonObject> CreateUserAsync(string tenantKey, string token, string json)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/scim/{tenantKey}/v2/Users", token, json);
        var body = await AssertScimAsync(response, 201);
        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith("/Users/" + (string?)body["id"], response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal((string?)body["meta"]!["version"], response.Headers.ETag!.ToString());
        return body;
    }

    /// <summary>GET /Users?filter=… and asserts a 200 ListResponse.</summary>
    public async Task<JsonObject> QueryAsync(string tenantKey, string token, string filter, string extraQuery = "")
    {
        using var response = await SendAsync(HttpMethod.Get, $"/scim/{tenantKey}/v2/Users?filter={Uri.EscapeDataString(filter)}{extraQuery}", token);
        var body = await AssertScimAsync(response, 200);
        Assert.Contains(ListSchema, body["schemas"]!.AsArray().Select(s => (string?)s));
        return body;
    }

    public async Task<JsonObject> GetUserAsync(string tenantKey, string token, string id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/scim/{tenantKey}/v2/Users/{id}", token);
        return await AssertScimAsync(response, 200);
    }

    public async Task<JsonObject> PatchUserAsync(string tenantKey, string token, string id, string json)
    {
        using var response = await SendAsync(HttpMethod.Patch, $"/scim/{tenantKey}/v2/Users/{id}", token, json);
        return await AssertScimAsync(response, 200);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException("Not a JSON object: " + text);
    }

    /// <summary>Asserts the status and that the body is a SCIM document; returns the body.</summary>
    public static async Task<JsonObject> AssertScimAsync(HttpResponseMessage response, int expectedStatus)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(ScimMediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException("Not a JSON object: " + text);
    }

    /// <summary>Asserts a SCIM error (RFC 7644 §3.12): error schema, status as a string, optional scimType.</summary>
    public static async Task<JsonObject> AssertScimErrorAsync(HttpResponseMessage response, int expectedStatus, string? scimType = null)
    {
        var body = await AssertScimAsync(response, expectedStatus);
        Assert.Contains(ErrorSchema, body["schemas"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(JsonValueKind.String, body["status"]!.GetValueKind());
        Assert.Equal(expectedStatus.ToString(CultureInfo.InvariantCulture), (string?)body["status"]);
        if (scimType is not null)
        {
            Assert.Equal(scimType, (string?)body["scimType"]);
        }

        return body;
    }
}

/// <summary>
/// The main end-to-end gateway: embedded store with the demo seed, tenants "tenant-a" and
/// "tenant-b" on customers of their own and "legacy" on the seeded demo customer, no token cache,
/// a small body limit.
/// </summary>
public sealed class GatewayFixture() : GatewayHost(createDemoTenant: true)
{
    public const int MaxBodyBytes = 16 * 1024;

    public string TokenA { get; private set; } = null!;

    public string TokenB { get; private set; } = null!;

    /// <summary>A token of the tenant on the demo customer, whose accounts predate the gateway.</summary>
    public string TokenLegacy { get; private set; } = null!;

    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Scim:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture);

    protected override async Task OnStartedAsync()
    {
        TokenA = await AddTenantAsync("tenant-a", "Customer A");
        TokenB = await AddTenantAsync("tenant-b", "Customer B");
        TokenLegacy = await AddTenantAsync("legacy", "Demo Customer");
    }
}

/// <summary>
/// "Never a 500": any 500 the gateway answers fails the test that caused it at once, with the
/// request and the body, whatever that test was asserting.
/// </summary>
internal sealed class NoServerErrorHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode == 500)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new Xunit.Sdk.XunitException($"The gateway answered 500 to {request.Method} {request.RequestUri}: {body}");
        }

        return response;
    }
}

/// <summary>A gateway a test starts and stops itself, with its own settings and optionally an existing data folder.</summary>
public sealed class StandaloneGateway(
    bool createDemoTenant,
    string? dataDirectory = null,
    IReadOnlyDictionary<string, string?>? overrides = null,
    Action<IServiceCollection>? replaceServices = null)
    : GatewayHost(createDemoTenant, dataDirectory)
{
    protected override void ConfigureServices(IServiceCollection services) => replaceServices?.Invoke(services);

    protected override void Configure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }
}
