using System.Globalization;
using Spectre.Console;

namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>
/// Where a run shows itself: on a terminal, live progress bars and a table (Spectre.Console);
/// otherwise plain lines that scripts and CI logs can keep. With <c>--json</c> stdout carries
/// the report alone and progress goes to stderr as plain lines.
/// </summary>
internal static class SimulationConsole
{
    public static async Task<SimulationReport> RunAsync(ProvisioningSimulator simulator, bool interactive, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!interactive)
        {
            return await simulator.RunAsync(new PlainProgress(stderr), cancellationToken);
        }

        SimulationReport? report = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => report = await simulator.RunAsync(new LiveProgress(context), cancellationToken));
        return report!;
    }

    public static void WriteTable(SimulationReport report)
    {
        var table = new Table().Title($"simulate {report.Cycle}: {report.Users} users, concurrency {report.Concurrency}, prefix {report.Prefix}");
        foreach (var column in Columns)
        {
            table.AddColumn(column == "phase" || column == "operation" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        }

        foreach (var operation in report.Operations)
        {
            var cells = Cells(operation).Select(Markup.Escape).ToArray();
            cells[4] = operation.Errors > 0 ? $"[red]{cells[4]}[/]" : cells[4];
            table.AddRow(cells);
        }

        AnsiConsole.Write(table);
        foreach (var (operation, sample) in Samples(report))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(operation)}[/] {Markup.Escape(sample)}");
        }

        AnsiConsole.MarkupLine(Markup.Escape(Summary(report)));
    }

    /// <summary>The same table as plain, aligned text.</summary>
    public static async Task WritePlainAsync(SimulationReport report, TextWriter stdout)
    {
        List<string[]> rows = [Columns];
        rows.AddRange(report.Operations.Select(Cells));
        var widths = Enumerable.Range(0, Columns.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }

        foreach (var (operation, sample) in Samples(report))
        {
            await stdout.WriteLineAsync($"{operation} {sample}");
        }

        await stdout.WriteLineAsync(Summary(report));
    }

    private static readonly string[] Columns = ["phase", "operation", "method", "requests", "errors", "429s", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"];

    private static string[] Cells(OperationReport operation) =>
    [
        operation.Phase, operation.Operation, operation.Method,
        Number(operation.Requests), Number(operation.Errors), Number(operation.Throttled), Number(operation.RequestsPerSecond),
        Number(operation.Latency.P50), Number(operation.Latency.P90), Number(operation.Latency.P99), Number(operation.Latency.Max),
    ];

    private static IEnumerable<(string Operation, string Sample)> Samples(SimulationReport report) =>
        report.Operations.SelectMany(o => o.ErrorSamples.Select(s => (
            $"{o.Phase} {o.Operation}:",
            string.Create(CultureInfo.InvariantCulture, $"expected {o.Expected}, got {(s.Status == 0 ? "no answer" : s.Status.ToString(CultureInfo.InvariantCulture))}{(s.ScimType is null ? string.Empty : " " + s.ScimType)}: {s.Detail}"))));

    private static string Summary(SimulationReport report) => string.Create(
        CultureInfo.InvariantCulture,
        $"{report.TotalRequests} requests in {report.ElapsedSeconds:0.###} s, {report.FailedRequests} failed{(report.Cleanup ? "; cleaned up" : string.Empty)}.");

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "0" : "0.0#", CultureInfo.InvariantCulture);

    private sealed class LiveProgress(ProgressContext context) : IPhaseProgress
    {
        public IPhaseTracker Start(SimulationPhase phase, int total) => new Tracker(context.AddTask(SimulationPhaseNames.Of(phase), maxValue: Math.Max(total, 1)));

        private sealed class Tracker(ProgressTask task) : IPhaseTracker
        {
            public void Advance() => task.Increment(1);

            public void Dispose()
            {
                task.Value = task.MaxValue;
                // Stops the task's clock, so that its elapsed time is the phase's own.
                task.StopTask();
            }
        }
    }

    /// <summary>One line when a phase starts, at every tenth of it, and when it ends.</summary>
    private sealed class PlainProgress(TextWriter writer) : IPhaseProgress
    {
        public IPhaseTracker Start(SimulationPhase phase, int total)
        {
            var name = SimulationPhaseNames.Of(phase);
            Write(string.Create(CultureInfo.InvariantCulture, $"{name}: 0/{total}"));
            return new Tracker(this, name, total);
        }

        private void Write(string line)
        {
            lock (writer)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }

        private sealed class Tracker(PlainProgress owner, string name, int total) : IPhaseTracker
        {
            private readonly int _step = Math.Max(total / 10, 1);
            private int _done;

            public void Advance()
            {
                var done = Interlocked.Increment(ref _done);
                if (done % _step == 0 && done < total)
                {
                    owner.Write(string.Create(CultureInfo.InvariantCulture, $"{name}: {done}/{total}"));
                }
            }

            public void Dispose() => owner.Write(string.Create(CultureInfo.InvariantCulture, $"{name}: {Volatile.Read(ref _done)}/{total} done"));
        }
    }
}
