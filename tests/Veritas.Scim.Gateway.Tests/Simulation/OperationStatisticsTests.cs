using CsCheck;
using Veritas.Scim.Gateway.Cli.Simulation;

namespace Veritas.Scim.Gateway.Tests.Simulation;

public sealed class OperationStatisticsTests
{
    [Fact]
    public void Each_percentile_is_the_nearest_rank_latency_of_any_set_of_latencies()
    {
        Gen.Select(Gen.Double[0, 5000].Array[1, 300], Gen.OneOfConst(0.5, 0.9, 0.99, 1.0)).Sample((latencies, fraction) =>
        {
            var sorted = latencies.Order().ToArray();
            var percentile = OperationStatistics.Percentile(sorted, fraction);
            var rank = (int)Math.Ceiling(fraction * sorted.Length);
            // Nearest rank: at least `rank` latencies are at most the answer, fewer than `rank` are below it.
            return sorted.Any(candidate => Math.Round(candidate, 2) == percentile
                && sorted.Count(x => x <= candidate) >= rank
                && sorted.Count(x => x < candidate) < rank);
        });
    }

    [Fact]
    public void The_report_counts_requests_errors_and_429s_and_keeps_only_the_first_error_samples()
    {
        var statistics = new OperationStatistics(SimulationPhase.Initial, "create", "POST", "201");
        for (var i = 0; i < 20; i++)
        {
            statistics.Record(i, i % 2 == 0 ? new ErrorSample(409, "taken " + i, "uniqueness") : null);
        }

        statistics.Throttled();
        var report = statistics.ToReport(TimeSpan.FromSeconds(4));

        Assert.Equal(("initial", "create", 20, 10, 1), (report.Phase, report.Operation, report.Requests, report.Errors, report.Throttled));
        Assert.Equal(["taken 0", "taken 2", "taken 4", "taken 6", "taken 8"], report.ErrorSamples.Select(s => s.Detail));
        Assert.Equal(5, report.RequestsPerSecond);
        Assert.Equal(new LatencyReport(9, 17, 19, 19), report.Latency);
    }

    [Fact]
    public void An_operation_without_requests_reports_zeros()
    {
        var report = new OperationStatistics(SimulationPhase.Delete, "delete", "DELETE", "204").ToReport(TimeSpan.Zero);

        Assert.Equal((0, 0, 0d), (report.Requests, report.Errors, report.RequestsPerSecond));
        Assert.Equal(new LatencyReport(0, 0, 0, 0), report.Latency);
    }
}
