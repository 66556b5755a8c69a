using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Veritas.Scim.Archive.Sqlite;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Benchmarks.Load;

/// <summary>
/// The Entra-shaped load, side by side on the gateway (Release, fresh embedded store, durable
/// commits) and on <see cref="BareScimEndpoint"/>, in one run: 16 keep-alive connections; create =
/// query by userName then POST; query = filter by userName then GET by id; patch = Entra's Replace
/// body. A warm-up round runs first on both. Prints per phase the request rates, the ratio
/// gateway/bare, p50/p99 and the gateway's RSS. <c>--preload N</c> first loads N accounts straight
/// into the store (not over HTTP), for the large-tenant mode.
/// <c>--compare other/Veritas.Scim.Gateway.dll</c> runs a second gateway build (say, main's) in the
/// same run, on its own fresh store, for a before/after on a shared box.
/// <c>--rounds N</c> repeats the measured round N times (each phase runs on every target in turn) and reports each phase's median round,
/// with the ratio to the bare endpoint taken within each round.
/// <c>--compare-preload N</c> pre-loads the compared gateway with N accounts instead (alone, it compares the
/// same build on two tenant sizes in one run: the flat-cost check).
/// <c>--store-metrics</c> turns on each gateway's metrics port and reads its group-commit metrics
/// per phase (the writer's share of time in COMMIT, requests per commit). Off by default: with a
/// metrics reader attached, every request's measurements are aggregated, which the default
/// configuration does not do.
/// Run: dotnet run -c Release --project tests/Veritas.Scim.Benchmarks -- load [--users 2000] [--warmup 500] [--rounds 3] [--preload 100000] [--compare-preload 0] [--gateway path/to/Veritas.Scim.Gateway.dll] [--compare path/to/other/Veritas.Scim.Gateway.dll] [--store-metrics]
/// </summary>
internal static class LoadBenchmark
{
    private const int Connections = 16;
    private const string TenantKey = "load";
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";

    public static async Task<int> RunAsync(string[] args)
    {
        var users = Option(args, "--users", 2_000);
        var warmUp = Option(args, "--warmup", 500);
        var preload = Option(args, "--preload", 0);
        var comparedPreload = Option(args, "--compare-preload", preload);
        var rounds = Math.Max(1, Option(args, "--rounds", 1));
        var storeMetrics = args.Contains("--store-metrics", StringComparer.Ordinal);
        var gatewayAssembly = OptionText(args, "--gateway") ?? BuiltGateway();
        // --compare-preload without --compare: the same build on a tenant of another size, in one run.
        var compareAssembly = OptionText(args, "--compare") ?? (OptionText(args, "--compare-preload") is null ? null : gatewayAssembly);
        Console.WriteLine($"gateway: {gatewayAssembly}" + (compareAssembly is null ? string.Empty : $"; compared with: {compareAssembly}"));
        Console.WriteLine($"users {users} x {rounds} round(s), warm-up {warmUp}, pre-loaded {preload} (compared: {comparedPreload}), {Connections} connections, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var bareDirectory = NewDataDirectory();
        using var bare = StartProcess("dotnet", [typeof(LoadBenchmark).Assembly.Location, "bare-endpoint", FreeUrl(out var bareUrl)], bareDirectory);
        await using var gateway = await GatewayUnderTest.StartAsync("gateway", gatewayAssembly, preload, storeMetrics);
        await using var compared = compareAssembly is null ? null : await GatewayUnderTest.StartAsync("compared", compareAssembly, comparedPreload, storeMetrics);
        await WaitReadyAsync(bareUrl);
        using var bareClient = Client(bareUrl, "bare");
        GatewayUnderTest[] gateways = compared is null ? [gateway] : [gateway, compared];

        var bareTarget = new LoadTarget(bareClient, bare.Id);
        LoadTarget[] targets = [bareTarget, .. gateways.Select(target => new LoadTarget(target.Client, target.Process.Id, target.Metrics))];
        await RunRoundAsync(targets, "warm", warmUp, round: 0);

        // Rounds repeat the cycle; within a round each phase runs on every target in turn, so the
        // bare endpoint and the gateways meet the box's load of the same few seconds. Each phase
        // reports its median round, so one burst of other work moves one round, not the result.
        var bareRounds = new List<Dictionary<string, PhaseResult>>();
        for (var round = 0; round < rounds; round++)
        {
            var results = await RunRoundAsync(targets, "new", users, round);
            bareRounds.Add(results[0]);
            for (var index = 0; index < gateways.Length; index++)
            {
                gateways[index].Rounds.Add(results[index + 1]);
            }
        }

        var barePhases = MedianRound(bareRounds);
        foreach (var target in gateways)
        {
            target.Phases = MedianRound(target.Rounds);
        }

        // Rates move with whatever else the shared box is doing; the CPU the server process spent
        // per request barely does, so it is printed beside them (and its ratio, bare/gateway).
        Console.WriteLine();
        // A ratio is taken within each round (the bare endpoint and the gateway ran seconds apart)
        // and the median of those is printed with their range: the box's noise, in the same units.
        // The driver's CPU and the box's busy share say how much of a rate ratio is the server's own
        // cost: on a box the phase keeps busy, the rate ratio tends to (driver + bare) / (driver + gateway) CPU.
        Console.WriteLine("| phase | target | req/s | ratio to bare | ratio range over rounds | p50/p99 ms | server CPU µs/req | CPU ratio bare/target | driver CPU µs/req | box busy | writer on core + waiting for one | writer in COMMIT · requests per commit | errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, baseline) in barePhases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | bare | {baseline.Rate:F0} | 1.00x | | {baseline.P50:F1}/{baseline.P99:F1} | {baseline.CpuMicroseconds:F0} | 1.00x | {baseline.DriverCpuMicroseconds:F0} | {baseline.BoxBusy:P0} | {baseline.WriterText} | {baseline.CommitText} | {baseline.Errors} |"));
            foreach (var target in gateways)
            {
                var measured = target.Phases![name];
                var ratios = bareRounds.Zip(target.Rounds, (bareRound, round) => round[name].Rate / bareRound[name].Rate).Order().ToList();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {target.Name} | {measured.Rate:F0} | {ratios[ratios.Count / 2]:F2}x | {ratios[0]:F2}–{ratios[^1]:F2}x | {measured.P50:F1}/{measured.P99:F1} | {measured.CpuMicroseconds:F0} | {baseline.CpuMicroseconds / measured.CpuMicroseconds:F2}x | {measured.DriverCpuMicroseconds:F0} | {measured.BoxBusy:P0} | {measured.WriterText} | {measured.CommitText} | {measured.Errors} |"));
            }
        }

        foreach (var target in gateways)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Name} RSS after the run: {ResidentMegabytes(target.Process.Id):F0} MB"));
        }

        Console.WriteLine($"load average {LoadAverage()}");
        bare.Kill();
        DeleteDirectory(bareDirectory);
        return 0;
    }

    private static Dictionary<string, PhaseResult> MedianRound(List<Dictionary<string, PhaseResult>> rounds) =>
        rounds[0].Keys.ToDictionary(
            phase => phase,
            phase => rounds.Select(round => round[phase]).OrderBy(result => result.Rate).ElementAt(rounds.Count / 2),
            StringComparer.Ordinal);

    /// <summary>
    /// One Entra cycle over <paramref name="users"/> new users on every target: create, then query,
    /// then patch, each phase run on one target after the other. The bare endpoint goes first; the
    /// gateways take turns at going next, because the one that runs second in a phase measured up to
    /// 15 % less CPU per request than the first with the same build (an even number of rounds is fair).
    /// </summary>
    private static async Task<List<Dictionary<string, PhaseResult>>> RunRoundAsync(LoadTarget[] targets, string prefix, int users, int round)
    {
        var cycles = targets.Select(target => new Cycle(target, prefix + "." + Guid.NewGuid().ToString("N")[..8], users)).ToList();
        var results = cycles.Select(_ => new Dictionary<string, PhaseResult>(StringComparer.Ordinal)).ToList();
        var gatewayCount = cycles.Count - 1;
        int[] order = [0, .. Enumerable.Range(0, gatewayCount).Select(turn => 1 + ((turn + round) % gatewayCount))];
        foreach (var phase in (string[])["create", "query", "patch"])
        {
            foreach (var index in order)
            {
                results[index][phase] = await cycles[index].RunAsync(phase);
            }
        }

        return results;
    }

    /// <param name="Metrics">The server's Prometheus endpoint (the gateway's metrics port); null for the bare endpoint.</param>
    private sealed record LoadTarget(HttpClient Client, int ServerProcessId, Uri? Metrics = null);

    /// <summary>The users of one round on one target, and the ids the creates gave them.</summary>
    private sealed class Cycle(LoadTarget target, string round, int users)
    {
        private readonly string?[] _ids = new string?[users];

        public Task<PhaseResult> RunAsync(string phase) => phase switch
        {
            "create" => RunPhaseAsync(target, users, async (i, timings) =>
            {
                var userName = UserName(round, i);
                await TimedAsync(timings, () => target.Client.GetAsync(FilterByUserName(userName)));
                using var created = await TimedAsync(timings, () => target.Client.PostAsync("Users", Json(NewUser(userName, i))), dispose: false);
                if (created.StatusCode == HttpStatusCode.Created)
                {
                    using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                    _ids[i] = body.RootElement.GetProperty("id").GetString();
                }
                else
                {
                    timings.Errors++;
                }
            }),
            "query" => RunPhaseAsync(target, users, async (i, timings) =>
            {
                await TimedAsync(timings, () => target.Client.GetAsync(FilterByUserName(UserName(round, i))));
                await TimedAsync(timings, () => target.Client.GetAsync("Users/" + (_ids[i] ?? "missing")));
            }),
            "patch" => RunPhaseAsync(target, users, async (i, timings) =>
                await TimedAsync(timings, () => target.Client.PatchAsync("Users/" + (_ids[i] ?? "missing"), Json(ReplaceBody(i))))),
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "no such phase"),
        };
    }

    private static async Task<PhaseResult> RunPhaseAsync(LoadTarget target, int users, Func<int, Timings, Task> operation)
    {
        var serverProcessId = target.ServerProcessId;
        var next = -1;
        var commitsBefore = await CommitTotalsAsync(target.Metrics);
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} phase started on process {serverProcessId}");
        var cpuBefore = ProcessCpuTime(serverProcessId);
        var driverBefore = ProcessCpuTime(Environment.ProcessId);
        var boxBefore = BoxCpuTicks();
        var writerBefore = WriterSchedule(serverProcessId);
        var perWorker = Enumerable.Range(0, Connections).Select(_ => new Timings()).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(perWorker.Select(timings => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < users; i = Interlocked.Increment(ref next))
            {
                await operation(i, timings);
            }
        })));
        clock.Stop();
        var cpu = ProcessCpuTime(serverProcessId) - cpuBefore;
        var driver = ProcessCpuTime(Environment.ProcessId) - driverBefore;
        var box = BoxCpuTicks();
        var writer = WriterSchedule(serverProcessId);
        var commits = await CommitTotalsAsync(target.Metrics);
        var elapsedNanoseconds = clock.Elapsed.TotalNanoseconds;
        var latencies = perWorker.SelectMany(t => t.Milliseconds).Order().ToArray();
        return new PhaseResult(
            latencies.Length / clock.Elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            cpu.TotalMicroseconds / Math.Max(1, latencies.Length),
            driver.TotalMicroseconds / Math.Max(1, latencies.Length),
            box.Total == boxBefore.Total ? 0 : (double)(box.Busy - boxBefore.Busy) / (box.Total - boxBefore.Total),
            writer is { } after && writerBefore is { } before
                ? ((after.Running - before.Running) / elapsedNanoseconds, (after.Waiting - before.Waiting) / elapsedNanoseconds)
                : null,
            commits is { } committed && commitsBefore is { } earlier && committed.Count > earlier.Count
                ? ((committed.Seconds - earlier.Seconds) / clock.Elapsed.TotalSeconds, (committed.Requests - earlier.Requests) / (committed.Count - earlier.Count))
                : null,
            perWorker.Sum(t => t.Errors));
    }

    private static async Task<HttpResponseMessage> TimedAsync(Timings timings, Func<Task<HttpResponseMessage>> send, bool dispose = true)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        timings.Milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if ((int)response.StatusCode >= 400)
        {
            timings.Errors++;
        }

        if (dispose)
        {
            response.Dispose();
        }

        return response;
    }

    /// <summary>Loads accounts straight into the store, many writes per group commit, as a directory of that size would be.</summary>
    private static async Task PreloadAsync(string dataDirectory, int count)
    {
        var clock = Stopwatch.StartNew();
        await using var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = Path.Combine(dataDirectory, "archive.db") });
        await database.InitializeAsync(CancellationToken.None);
        var customerId = (await database.Tenants.ListTenantsAsync(CancellationToken.None)).Single(t => t.TenantKey == TenantKey).CustomerId;
        var audit = new AuditContext(TenantKey, "00-preload-00");
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var userName = string.Create(CultureInfo.InvariantCulture, $"pre{i}@load.example.com");
            var state = new ArchiveAccountState(userName, userName, "Pre", "Loaded", "Pre Loaded", true, "pre-" + i.ToString(CultureInfo.InvariantCulture),
                [string.Create(CultureInfo.InvariantCulture, $"pre{i}.alias@load.example.com")], "{}");
            await database.Accounts.CreateAsync(customerId, state, audit, ct);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pre-loaded {count} accounts in {clock.Elapsed.TotalSeconds:F0} s"));
    }

    private static string UserName(string round, int i) => string.Create(CultureInfo.InvariantCulture, $"{round}.{i}@load.example.com");

    private static string FilterByUserName(string userName) => "Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");

    private static string NewUser(string userName, int i) => $$"""
        {"schemas":["{{UserSchema}}","urn:ietf:params:scim:schemas:extension:veritas:2.0:User"],
         "userName":"{{userName}}","externalId":"ext-{{userName}}","active":true,"displayName":"Load User {{i}}",
         "name":{"givenName":"Load","familyName":"User {{i}}"},
         "emails":[{"type":"work","primary":true,"value":"{{userName}}"}],
         "urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"SMTP:{{userName}},smtp:alias.{{userName}}"} }
        """;

    private static string ReplaceBody(int i) => $$"""
        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
         {"op":"Replace","path":"displayName","value":"Patched User {{i}}"},
         {"op":"Replace","path":"active","value":"False"}]}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/scim+json");

    private static HttpClient Client(string url, string token)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = new Uri(url + "scim/" + TenantKey + "/v2/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static double Percentile(double[] sorted, double fraction)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    private static async Task<string> RunGatewayCliAsync(string gatewayAssembly, string dataDirectory, params string[] arguments)
    {
        using var process = StartProcess("dotnet", [gatewayAssembly, .. arguments, "--Scim:CreateDemoTenant=false"], dataDirectory, captureOutput: true);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException("gateway CLI failed: " + await process.StandardError.ReadToEndAsync());
    }

    private static Process StartProcess(string file, IEnumerable<string> arguments, string dataDirectory, bool captureOutput = false)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = captureOutput, RedirectStandardError = captureOutput };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["VERITAS_SCIM_DATA"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start " + file);
    }

    private static async Task WaitReadyAsync(string url)
    {
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(url + " did not become ready.");
    }

    private static string FreeUrl(out string url)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        return url;
    }

    private static string BuiltGateway()
    {
        // tests/Veritas.Scim.Benchmarks/bin/<Configuration>/net10.0/ -> src/Veritas.Scim.Gateway/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "Veritas.Scim.Gateway", "bin", output.Parent!.Name, output.Name, "Veritas.Scim.Gateway.dll");
    }

    private static double ResidentMegabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>User plus system CPU of a process so far, from /proc (clock ticks of 10 ms).</summary>
    private static TimeSpan ProcessCpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>
    /// The embedded store's writer thread's time on a core and waiting runnable for one so far, in
    /// nanoseconds (/proc schedstat); null when the process has no such thread. All writes are
    /// serialised on it, so when the two add up to the whole phase the writer bounds the write rate.
    /// </summary>
    private static (long Running, long Waiting)? WriterSchedule(int processId)
    {
        var tasks = $"/proc/{processId}/task";
        if (!Directory.Exists(tasks))
        {
            return null;
        }

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Veritas SQLite", StringComparison.Ordinal))
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return null;
    }

    /// <summary>
    /// The embedded store's group commits so far, from the gateway's own metrics (seconds spent in
    /// COMMIT, commits, requests committed); null without a metrics endpoint or the instruments
    /// (the bare endpoint, an older build). The writer waits out each COMMIT's fsync blocked, which
    /// schedstat counts as neither running nor waiting for a core.
    /// </summary>
    private static async Task<(double Seconds, double Count, double Requests)?> CommitTotalsAsync(Uri? metrics)
    {
        if (metrics is null)
        {
            return null;
        }

        using var client = new HttpClient();
        var lines = (await client.GetStringAsync(metrics)).Split('\n');
        const string Commits = "scim_store_commit_duration_seconds_count";
        if (!lines.Any(line => line.StartsWith(Commits, StringComparison.Ordinal)))
        {
            return null;
        }

        // Exposition format: name[{labels}] value [timestamp]; a series is summed over its labels.
        double Sum(string series) => lines
            .Where(line => line.StartsWith(series, StringComparison.Ordinal) && line.Length > series.Length && line[series.Length] is '{' or ' ')
            .Sum(line =>
            {
                var labelsEnd = line.LastIndexOf('}');
                var value = line[(labelsEnd >= 0 ? labelsEnd + 1 : series.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return double.Parse(value, CultureInfo.InvariantCulture);
            });
        return (Sum("scim_store_commit_duration_seconds_sum"), Sum(Commits), Sum("scim_store_commit_requests_sum"));
    }

    /// <summary>The box's busy and total CPU ticks so far (the first line of /proc/stat; idle and iowait are not busy).</summary>
    private static (long Busy, long Total) BoxCpuTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        return (total - ticks[3] - ticks[4], total);
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int Option(string[] args, string name, int fallback)
        => OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string NewDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "veritas-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>One gateway build on its own fresh store, with its tenant and token.</summary>
    private sealed class GatewayUnderTest : IAsyncDisposable
    {
        private readonly string _dataDirectory;

        private GatewayUnderTest(string name, Process process, HttpClient client, string dataDirectory)
        {
            Name = name;
            Process = process;
            Client = client;
            _dataDirectory = dataDirectory;
        }

        public string Name { get; }

        public Process Process { get; }

        public HttpClient Client { get; }

        public Uri? Metrics { get; private init; }

        public Dictionary<string, PhaseResult>? Phases { get; set; }

        public List<Dictionary<string, PhaseResult>> Rounds { get; } = [];

        public static async Task<GatewayUnderTest> StartAsync(string name, string assembly, int preload, bool storeMetrics)
        {
            var dataDirectory = NewDataDirectory();
            var token = await RunGatewayCliAsync(assembly, dataDirectory, "tenant", "add", TenantKey, "--customer", "Load Customer");
            if (preload > 0)
            {
                await PreloadAsync(dataDirectory, preload);
            }

            FreeUrl(out var metricsUrl);
            string[] metricsPort = storeMetrics
                ? ["--Telemetry:Prometheus:Enabled=true", "--Telemetry:Prometheus:Host=127.0.0.1", "--Telemetry:Prometheus:Port=" + new Uri(metricsUrl).Port.ToString(CultureInfo.InvariantCulture)]
                : [];
            var process = StartProcess("dotnet", [assembly, "--urls", FreeUrl(out var url), "--Scim:CreateDemoTenant=false",
                "--Scim:RateLimit:TokensPerSecond=100000", "--Scim:RateLimit:BurstSize=100000", .. metricsPort], dataDirectory);
            await WaitReadyAsync(url);
            return new GatewayUnderTest(name, process, Client(url, token), dataDirectory) { Metrics = storeMetrics ? new Uri(metricsUrl + "metrics") : null };
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!Process.HasExited)
            {
                Process.Kill();
                await Process.WaitForExitAsync();
            }

            Process.Dispose();
            DeleteDirectory(_dataDirectory);
        }
    }

    private sealed class Timings
    {
        public List<double> Milliseconds { get; } = [];

        public int Errors { get; set; }
    }

    /// <param name="DriverCpuMicroseconds">This process's own CPU per request: the load driver shares the box with the server.</param>
    /// <param name="BoxBusy">The share of all cores busy (user, system, interrupts) during the phase.</param>
    /// <param name="Writer">The share of the phase the store's one writer thread ran, and waited runnable for a core; null without one.</param>
    /// <param name="Commits">The share of the phase the writer spent in COMMIT (its fsync), and the requests per commit; null without them.</param>
    private sealed record PhaseResult(double Rate, double P50, double P99, double CpuMicroseconds, double DriverCpuMicroseconds, double BoxBusy, (double Running, double Waiting)? Writer, (double Share, double RequestsPerCommit)? Commits, int Errors)
    {
        public string WriterText => Writer is { } writer ? string.Create(CultureInfo.InvariantCulture, $"{writer.Running:P0} + {writer.Waiting:P0}") : "–";

        public string CommitText => Commits is { } commits ? string.Create(CultureInfo.InvariantCulture, $"{commits.Share:P0} · {commits.RequestsPerCommit:F1}") : "–";
    }
}
