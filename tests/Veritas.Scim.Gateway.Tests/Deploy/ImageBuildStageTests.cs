using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Tests.Simulation;

namespace Veritas.Scim.Gateway.Tests.Deploy;

/// <summary>
/// The image's build stage run without Docker: the files its COPY lines name (less what
/// .dockerignore keeps out) in a folder of their own, then its RUN line as written, with the
/// ARG defaults. The output must be ReadyToRun and must start and answer /readyz.
/// </summary>
public sealed partial class ImageBuildStageTests : IDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "veritas-image-build-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_build_stage_publishes_ready_to_run_assemblies_that_start_and_answer_readyz()
    {
        var buildStage = BuildStage(RepositoryFiles.Read("deploy/Dockerfile"));
        var ignored = RepositoryFiles.Read(".dockerignore");
        Assert.Contains("**/bin", ignored, StringComparison.Ordinal);
        Assert.Contains("**/obj", ignored, StringComparison.Ordinal);

        var workDirectory = Path.Combine(_directory, Assert.Single(buildStage, i => i.Op == "WORKDIR").Args.TrimStart('/'));
        var output = Path.Combine(_directory, "app");
        foreach (var copy in buildStage.Where(i => i.Op == "COPY"))
        {
            var parts = copy.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                CopyWithoutBuildOutput(RepositoryFiles.PathOf(source.TrimEnd('/')), Path.Combine(workDirectory, parts[^1] == "./" ? Path.GetFileName(source) : parts[^1].TrimEnd('/')));
            }
        }

        var arguments = buildStage.Where(i => i.Op == "ARG").Select(i => i.Args.Split('=', 2)).ToDictionary(a => a[0], a => a[1], StringComparer.Ordinal);
        var run = Assert.Single(buildStage, i => i.Op == "RUN").Args;
        Assert.Contains("--output /app", run, StringComparison.Ordinal);
        Assert.Contains("--runtime $RUNTIME", run, StringComparison.Ordinal);
        var result = await RunAsync("bash", ["-c", run.Replace("--output /app", "--output " + output, StringComparison.Ordinal)], workDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"the build stage's publish failed:\n{result.Output}");

        var assemblies = Directory.GetFiles(output, "Veritas.Scim.*.dll");
        Assert.Contains(assemblies, path => Path.GetFileName(path) == "Veritas.Scim.Gateway.dll");
        Assert.All(assemblies, path => Assert.True(IsReadyToRun(path), Path.GetFileName(path) + " is IL only: the image would start in the JIT"));
        Assert.True(IsReadyToRun(Path.Combine(output, "Yarp.ReverseProxy.dll")), "the proxy's package assembly is IL only");

        // The runtime settings the gateway was measured with travel with the image.
        using (var runtimeConfig = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "Veritas.Scim.Gateway.runtimeconfig.json"))))
        {
            var settings = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.Equal(0, settings.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
            Assert.True(settings.GetProperty("System.GC.Server").GetBoolean());
        }

        // Started waits for /readyz: the published store opens its schema and answers.
        await using var published = await GatewayProcess.StartAsync(Path.Combine(output, "Veritas.Scim.Gateway.dll"), "readyz", TestContext.Current.CancellationToken);
    }

    private static bool IsReadyToRun(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static void CopyWithoutBuildOutput(string source, string destination)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            return;
        }

        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories).Where(d => !IsBuildOutput(Path.GetRelativePath(source, d))))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories).Where(f => !IsBuildOutput(Path.GetRelativePath(source, f))))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    /// <summary>What .dockerignore's <c>**/bin</c> and <c>**/obj</c> keep out of the build context.</summary>
    private static bool IsBuildOutput(string relativePath)
        => relativePath.Split(Path.DirectorySeparatorChar).Any(segment => segment is "bin" or "obj");

    /// <summary>The instructions of the first stage (the build), with continuation lines joined.</summary>
    private static List<(string Op, string Args)> BuildStage(string dockerfile)
    {
        var joined = ContinuationLine().Replace(dockerfile, " ");
        var stages = joined.Split("\nFROM ", StringSplitOptions.None);
        return [.. Instruction().Matches(stages[0].Contains("AS build", StringComparison.Ordinal) ? stages[0] : stages[1])
            .Select(m => (m.Groups["op"].Value, m.Groups["args"].Value.Trim()))];
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\\\r?\n\s*")]
    private static partial Regex ContinuationLine();

    [GeneratedRegex(@"^(?<op>[A-Z]+)\s+(?<args>.+)$", RegexOptions.Multiline)]
    private static partial Regex Instruction();
}
