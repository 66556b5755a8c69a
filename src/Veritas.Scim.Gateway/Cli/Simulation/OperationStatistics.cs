namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>
/// The requests of one operation in one phase: latencies, and the requests whose answer was not
/// what Entra expects, with the first few kept as samples. Safe to record from many workers.
/// </summary>
internal sealed class OperationStatistics(SimulationPhase phase, string operation, string method, string expected)
{
    public const int MaxErrorSamples = 5;

    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly List<ErrorSample> _samples = [];
    private int _errors;
    private int _throttled;

    public SimulationPhase Phase { get; } = phase;

    public string Operation { get; } = operation;

    public string Method { get; } = method;

    /// <summary>What a correct SCIM endpoint answers, as the report states it.</summary>
    public string Expected { get; } = expected;

    /// <summary>One answer was 429 and the request is sent again after Retry-After.</summary>
    public int Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors;
            }
        }
    }

    public void Throttled() => Interlocked.Increment(ref _throttled);

    public void Record(double latencyMs, ErrorSample? error)
    {
        lock (_gate)
        {
            _latenciesMs.Add(latencyMs);
            if (error is not null)
            {
                _errors++;
                if (_samples.Count < MaxErrorSamples)
                {
                    _samples.Add(error);
                }
            }
        }
    }

    public OperationReport ToReport(TimeSpan phaseElapsed)
    {
        lock (_gate)
        {
            var sorted = _latenciesMs.Order().ToArray();
            var seconds = Math.Max(phaseElapsed.TotalSeconds, 1e-6);
            return new OperationReport(
                SimulationPhaseNames.Of(Phase),
                Operation,
                Method,
                Expected,
                sorted.Length,
                _errors,
                Volatile.Read(ref _throttled),
                [.. _samples],
                Math.Round(sorted.Length / seconds, 1),
                new LatencyReport(Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2)));
        }
    }

    /// <summary>The nearest-rank percentile: the smallest latency that at least <paramref name="fraction"/> of the requests did not exceed.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Count) - 1], 2);
    }
}
