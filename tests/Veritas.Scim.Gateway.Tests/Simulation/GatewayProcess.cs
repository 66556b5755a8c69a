using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.Simulation;

/// <summary>
/// The gateway's real executable (<c>dotnet Veritas.Scim.Gateway.dll</c>) as a child process: a
/// server on a loopback port with its own data folder, and CLI verbs run as further processes.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _server;
    private readonly StringBuilder _output;

    private GatewayProcess(Process server, StringBuilder output, string dataDirectory, Uri address)
    {
        _server = server;
        _output = output;
        DataDirectory = dataDirectory;
        Address = address;
    }

    public static string ExecutablePath { get; } = Path.Combine(AppContext.BaseDirectory, "Veritas.Scim.Gateway.dll");

    public string DataDirectory { get; }

    public Uri Address { get; }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Uri TenantUrl(string tenant) => new(Address, $"scim/{tenant}/v2");

    /// <summary>Starts the server and waits until <c>/healthz</c> answers.</summary>
    public static Task<GatewayProcess> StartAsync(CancellationToken cancellationToken, params string[] settings)
        => StartAsync(ExecutablePath, "healthz", cancellationToken, settings);

    /// <summary>Starts the server of <paramref name="executablePath"/> (another build of it) and waits until <paramref name="probePath"/> answers 2xx.</summary>
    public static async Task<GatewayProcess> StartAsync(string executablePath, string probePath, CancellationToken cancellationToken, params string[] settings)
    {
        var dataDirectory = GatewayHost.NewDataDirectory();
        Directory.CreateDirectory(dataDirectory);
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreeLoopbackPort()}/"));
        var output = new StringBuilder();
        var server = Start(executablePath, ["--urls", address.AbsoluteUri.TrimEnd('/'), "--Scim:DataDirectory=" + dataDirectory, "--Logging:LogLevel:Default=Warning", .. settings]);
        server.OutputDataReceived += (_, e) => Append(output, e.Data);
        server.ErrorDataReceived += (_, e) => Append(output, e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var gateway = new GatewayProcess(server, output, dataDirectory, address);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; ; attempt++)
        {
            if (server.HasExited || attempt > 300)
            {
                var log = gateway.Output;
                await gateway.DisposeAsync();
                throw new InvalidOperationException("The gateway did not start:\n" + log);
            }

            try
            {
                using var response = await client.GetAsync(new Uri(address, probePath), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Runs a CLI verb of the executable on this server's data folder.</summary>
    public Task<CliResult> RunCliAsync(params string[] args) => RunAsync([.. args, "--Scim:DataDirectory=" + DataDirectory]);

    /// <summary>Adds a tenant with the CLI and returns its token (alone on stdout).</summary>
    public async Task<string> AddTenantAsync(string tenant)
    {
        var result = await RunCliAsync("tenant", "add", tenant);
        Assert.True(result.ExitCode == 0, "tenant add failed: " + result.StandardError);
        return result.StandardOutput.Trim();
    }

    /// <summary>Runs the executable with <paramref name="args"/> to its end and returns what it printed.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(ExecutablePath, args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync(CancellationToken.None);
        }

        _server.Dispose();
        GatewayHost.DeleteDataDirectory(DataDirectory);
    }

    /// <summary>A loopback port free at this moment (the OS picks it; it is released for the child to bind).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string executablePath, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(executablePath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child is configured by its arguments alone, whatever this process's environment says.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
