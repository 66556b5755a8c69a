using System.Diagnostics;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.Cli;

/// <summary>
/// The built gateway executable (Veritas.Scim.Gateway.dll beside the tests) run with `dotnet` as
/// a child process, on a data folder of its own and an environment without the caller's
/// OpenTelemetry or ASP.NET Core settings: what an operator's shell would run.
/// </summary>
public sealed class GatewayExecutable : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public GatewayExecutable(string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? GatewayHost.NewDataDirectory();
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "Veritas.Scim.Gateway.dll");

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo(args) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"`{string.Join(' ', args)}` did not exit within {Timeout}: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        info.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(name => name.StartsWith("OTEL_", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("Scim__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["VERITAS_SCIM_DATA"] = DataDirectory;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public void Dispose() => GatewayHost.DeleteDataDirectory(DataDirectory);
}
