using System.ComponentModel.DataAnnotations;

namespace Veritas.Scim.Gateway.Audit;

/// <summary>How long audit rows are kept (section "Scim:Audit"); validated on start.</summary>
public sealed class AuditRetentionOptions
{
    public const string SectionName = "Scim:Audit";

    /// <summary>Rows older than this are pruned; unset keeps every row.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Scim:Audit:Retention must be from 1 hour to 3650 days (e.g. 90.00:00:00), or unset to keep every row.")]
    public TimeSpan? Retention { get; set; }

    /// <summary>Rows deleted per statement: small, so a writer waits at most one short batch.</summary>
    [Range(1, 10_000, ErrorMessage = "Scim:Audit:PruneBatchSize must be from 1 to 10000.")]
    public int PruneBatchSize { get; set; } = 500;

    /// <summary>How often a prune runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Scim:Audit:PruneInterval must be from 1 second to 1 day.")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The pause between two batches of one prune, leaving the store to the writers.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Scim:Audit:PruneBatchPause must be from 0 to 1 minute.")]
    public TimeSpan PruneBatchPause { get; set; } = TimeSpan.FromMilliseconds(50);
}
