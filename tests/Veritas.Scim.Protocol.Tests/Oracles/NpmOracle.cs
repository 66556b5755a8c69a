using System.Diagnostics;

namespace Veritas.Scim.Protocol.Tests.Oracles;

/// <summary>
/// An independent implementation from npm, run with Node from a folder of the test's output that
/// holds its script, package.json and the committed package-lock.json. The package is installed
/// there on first use (npm ci). Without Node or the package a test that needs it fails in CI
/// (CI=true) and is skipped, with the reason, elsewhere.
/// </summary>
internal sealed class NpmOracle
{
    private readonly string _directory;
    private readonly string _script;

    private NpmOracle(string directory, string script)
    {
        _directory = directory;
        _script = script;
    }

    /// <summary>Prepares <paramref name="script"/> in <paramref name="folder"/> (relative to the output), once per process and folder.</summary>
    public static Lazy<(NpmOracle? Oracle, string? Problem)> Lazily(string folder, string package, string script)
        => new(() => Prepare(Path.Combine(AppContext.BaseDirectory, folder), package, script));

    /// <summary>The oracle, or a failed test in CI, or a skipped one elsewhere.</summary>
    public static NpmOracle Require(Lazy<(NpmOracle? Oracle, string? Problem)> prepared, string name)
    {
        var (oracle, problem) = prepared.Value;
        if (oracle is not null)
        {
            return oracle;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"The npm {name} oracle is required in CI: {problem}");
        }

        Assert.Skip($"The npm {name} oracle is unavailable here: {problem}");
        return null!;
    }

    /// <summary>Runs the script with <paramref name="input"/> on its standard input and returns what it wrote.</summary>
    public string Run(string input)
    {
        var (exit, output, error) = Run("node", _script, input, _directory);
        Assert.True(exit == 0, $"{_script} failed ({exit}): {error}");
        return output;
    }

    private static (NpmOracle?, string?) Prepare(string directory, string package, string script)
    {
        try
        {
            var (nodeExit, _, nodeError) = Run("node", "--version", null, directory);
            if (nodeExit != 0)
            {
                return (null, $"node --version failed: {nodeError}");
            }

            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                var (npmExit, npmOutput, npmError) = Run("npm", "ci --no-audit --no-fund --loglevel=error", null, directory);
                if (npmExit != 0)
                {
                    return (null, $"npm ci failed ({npmExit}): {npmError}{npmOutput}");
                }
            }

            return (new NpmOracle(directory, script), null);
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            return (null, $"node or npm is not on PATH ({missing.Message})");
        }
    }

    private static (int Exit, string Output, string Error) Run(string file, string arguments, string? input, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, string.Empty, $"{file} {arguments} timed out");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
