namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// Histogram bucket boundaries in seconds. Without advice the SDK uses bounds made for
/// milliseconds (0, 5, 10, … 10000), which put every SCIM request in the first bucket.
/// </summary>
public static class MetricBuckets
{
    /// <summary>From 1 ms to 10 s: a SCIM operation or a store round trip.</summary>
    public static IReadOnlyList<double> Seconds { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>From 0.1 ms to 1 s: one COMMIT of the embedded store, which is mostly its fsync (a fraction of a millisecond on a local SSD).</summary>
    public static IReadOnlyList<double> CommitSeconds { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>Requests per group-committed transaction, up to the writer's bound of 64.</summary>
    public static IReadOnlyList<int> RequestsPerCommit { get; } = [1, 2, 4, 8, 16, 32, 64];
}
