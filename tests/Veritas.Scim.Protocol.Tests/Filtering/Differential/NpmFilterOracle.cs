using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Veritas.Scim.Protocol.Tests.Filtering.Differential;

/// <summary>One answer of scim2-parse-filter: its parse error, or whether each document matched.</summary>
internal sealed record NpmAnswer(string? Error, bool[]? Matches);

/// <summary>
/// Runs filter-oracle.js (scim2-parse-filter) with Node. The package is installed on first use
/// into the test's own output folder from the committed package-lock.json. Without Node or the
/// package the test fails in CI (CI=true) and is skipped, with the reason, elsewhere.
/// </summary>
internal sealed class NpmFilterOracle
{
    private static readonly Lazy<(NpmFilterOracle? Oracle, string? Problem)> Instance = new(Prepare);

    private readonly string _directory;

    private NpmFilterOracle(string directory) => _directory = directory;

    public static NpmFilterOracle Require()
    {
        var (oracle, problem) = Instance.Value;
        if (oracle is not null)
        {
            return oracle;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"The npm filter oracle is required in CI: {problem}");
        }

        Assert.Skip($"The npm filter oracle is unavailable here: {problem}");
        return null!;
    }

    public IReadOnlyList<NpmAnswer> Evaluate(IReadOnlyList<(string Filter, JsonObject[] Documents)> cases)
    {
        var input = new JsonObject
        {
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["filter"] = c.Filter,
                ["documents"] = new JsonArray([.. c.Documents.Select(d => d.DeepClone())]),
            })]),
        };
        var (exit, output, error) = Run("node", "filter-oracle.js", input.ToJsonString());
        Assert.True(exit == 0, $"filter-oracle.js failed ({exit}): {error}");
        var answers = JsonNode.Parse(output)!.AsArray();
        return [.. answers.Select(a => new NpmAnswer(
            (string?)a!["error"],
            a["matches"]?.AsArray().Select(m => m!.GetValue<bool>()).ToArray()))];
    }

    private static (NpmFilterOracle?, string?) Prepare()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Filtering", "Differential");
        try
        {
            var (nodeExit, _, nodeError) = Run("node", "--version", null, directory);
            if (nodeExit != 0)
            {
                return (null, $"node --version failed: {nodeError}");
            }

            if (!File.Exists(Path.Combine(directory, "node_modules", "scim2-parse-filter", "package.json")))
            {
                var (npmExit, npmOutput, npmError) = Run("npm", "ci --no-audit --no-fund --loglevel=error", null, directory);
                if (npmExit != 0)
                {
                    return (null, $"npm ci failed ({npmExit}): {npmError}{npmOutput}");
                }
            }

            return (new NpmFilterOracle(directory), null);
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            return (null, $"node or npm is not on PATH ({missing.Message})");
        }
    }

    private (int Exit, string Output, string Error) Run(string file, string arguments, string? input) => Run(file, arguments, input, _directory);

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
