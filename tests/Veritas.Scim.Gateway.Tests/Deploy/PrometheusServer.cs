using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Veritas.Scim.Gateway.Tests.Simulation;

namespace Veritas.Scim.Gateway.Tests.Deploy;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) as a child process: loopback
/// only, a temporary configuration and data folder, one scrape job with a short interval.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "veritas-scim-gateway";

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _directory;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, StringBuilder output, string directory, Uri address)
    {
        _process = process;
        _output = output;
        _directory = directory;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The prometheus executable on PATH (or Debian's location), or null when it is not installed.</summary>
    public static string? FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, "prometheus"))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<PrometheusServer> StartAsync(string executable, Uri target, string metricsPath, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "veritas-scim-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configuration, string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {Job}
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ["{target.Authority}"]
            """), cancellationToken);
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{GatewayProcess.FreeLoopbackPort()}/"));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + configuration,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=" + address.Authority,
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, output, directory, address);
        try
        {
            await server.WaitUntilAsync(async () =>
            {
                using var ready = await server._client.GetAsync(new Uri("-/ready", UriKind.Relative), cancellationToken);
                return ready.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(60), "Prometheus did not become ready", cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

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

    /// <summary>Evaluates an instant query through the HTTP API and returns its result array.</summary>
    public async Task<JsonElement> QueryAsync(string promQl, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promQl), UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.True(response.IsSuccessStatusCode && root.GetProperty("status").GetString() == "success", $"Prometheus refused '{promQl}': {body}");
        var data = root.GetProperty("data");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        return data.GetProperty("result").Clone();
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (_process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException(failure + ":\n" + Output);
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
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
