using System.Diagnostics.Metrics;

namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// The stores' instruments (Meter <see cref="MeterName"/>, made through <see cref="IMeterFactory"/>):
/// the duration of every database round trip, measured where the store runs it, the embedded
/// store's group commits (how long each COMMIT took and how many requests shared it), and the
/// SQL Server pipeline's retries and circuit breaker.
/// </summary>
public sealed class ArchiveStoreMetrics
{
    public const string MeterName = "Veritas.Scim.Archive";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitRequests;
    private int _breakerState;

    public ArchiveStoreMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram(
            ScimTelemetry.StoreDurationInstrument,
            "s",
            "Duration of one archive store command (one database round trip).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.Seconds });
        _retries = meter.CreateCounter<long>(ScimTelemetry.StoreRetriesInstrument, "{retry}", "Store commands retried after a transient database error.");
        _commitDuration = meter.CreateHistogram(
            ScimTelemetry.StoreCommitDurationInstrument,
            "s",
            "Duration of one COMMIT of the embedded store's writer (its fsync): every write request of the transaction waits for it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.CommitSeconds });
        _commitRequests = meter.CreateHistogram(
            ScimTelemetry.StoreCommitRequestsInstrument,
            "{request}",
            "Write requests committed together in one transaction of the embedded store's writer (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = MetricBuckets.RequestsPerCommit });
        meter.CreateObservableGauge(
            ScimTelemetry.BreakerStateInstrument, () => Volatile.Read(ref _breakerState), "{state}", "The store's circuit breaker: 0 closed, 1 open, 2 half-open.");
        // A scraper sees 0 retries before the first one, not a series that does not exist.
        _retries.Add(0);
    }

    /// <summary>One database round trip ended.</summary>
    public void CommandCompleted(string dbSystem, string operationName, TimeSpan duration, bool failed) => _duration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>(ScimTelemetry.DbSystemTag, dbSystem),
        new KeyValuePair<string, object?>(ScimTelemetry.DbOperationTag, operationName),
        new KeyValuePair<string, object?>(ScimTelemetry.StoreOutcomeTag, failed ? "error" : "ok"));

    /// <summary>One transaction of a store that commits write requests in groups was committed.</summary>
    public void GroupCommitted(string dbSystem, int requests, TimeSpan commitDuration)
    {
        var system = new KeyValuePair<string, object?>(ScimTelemetry.DbSystemTag, dbSystem);
        _commitDuration.Record(commitDuration.TotalSeconds, system);
        _commitRequests.Record(requests, system);
    }

    public void Retried(string dbSystem) => _retries.Add(1, new KeyValuePair<string, object?>(ScimTelemetry.DbSystemTag, dbSystem));

    /// <summary>The store's circuit breaker changed state (reported by the SQL Server pipeline).</summary>
    public void ReportBreakerState(StoreCircuitState state) => Volatile.Write(ref _breakerState, (int)state);
}
