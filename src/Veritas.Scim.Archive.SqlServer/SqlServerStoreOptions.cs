namespace Veritas.Scim.Archive.SqlServer;

/// <summary>Settings of the SQL Server archive store; validated when the host starts.</summary>
public sealed class SqlServerStoreOptions
{
    /// <summary>The configuration section the gateway binds by convention.</summary>
    public const string SectionName = "Archive:SqlServer";

    /// <summary>The archive database (it holds the legacy dbo tables and the scim schema).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The server-side limit of one command (SqlCommand.CommandTimeout).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The limit of one attempt (opening the connection and the command), enforced by the pipeline.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after a transient failure (0 disables retrying).</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>The first retry delay; it doubles on each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed attempts in the sampling window that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts the window must hold before the ratio counts.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open; also the Retry-After the host sends.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
