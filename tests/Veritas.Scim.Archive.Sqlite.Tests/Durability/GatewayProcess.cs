using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Veritas.Scim.Archive.Sqlite.Tests.Durability;

/// <summary>
/// The real gateway as its own process (<c>dotnet Veritas.Scim.Gateway.dll</c>, built alongside
/// this test project) on a loopback port, on a given data folder, so that a test can kill it.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static string GatewayAssembly
    {
        get
        {
            // tests/X/bin/<Configuration>/net10.0/ -> src/Veritas.Scim.Gateway/bin/<Configuration>/net10.0/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent!.Name;
            var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(root, "src", "Veritas.Scim.Gateway", "bin", configuration, output.Name, "Veritas.Scim.Gateway.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The gateway is not built next to the tests.", path);
        }
    }

    /// <summary>Runs a CLI verb on the data folder and returns its standard output.</summary>
    public static async Task<string> RunCliAsync(string dataDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(dataDirectory, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"gateway {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
    }

    public static async Task<GatewayProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var process = Process.Start(StartInfo(
            dataDirectory,
            "--urls", address.ToString(),
            "--Scim:RateLimit:TokensPerSecond=100000",
            "--Scim:RateLimit:BurstSize=100000"))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, address);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The gateway exited at start with " + process.ExitCode + ".");
            }

            try
            {
                using var ready = await client.GetAsync("readyz", cancellationToken);
                if (ready.IsSuccessStatusCode)
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

        await gateway.DisposeAsync();
        throw new TimeoutException("The gateway did not become ready within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing the process could still do.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(GatewayAssembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--Scim:CreateDemoTenant=false");
        info.Environment["VERITAS_SCIM_DATA"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
