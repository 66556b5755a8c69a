using System.Diagnostics;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The one ActivitySource every store reports its database commands on: one span per command
/// (one round trip), named after the procedure or statement kind, following the OpenTelemetry
/// database conventions and never carrying parameter values. Tests count these spans to prove
/// that an operation is one round trip.
/// </summary>
public static class ArchiveStoreTelemetry
{
    public const string ActivitySourceName = "Veritas.Scim.Archive";

    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    /// <summary>
    /// Starts one database command: its span (when tracing samples it) and its duration, which is
    /// measured here whether or not the span is recorded. Dispose it when the command completes.
    /// </summary>
    /// <param name="dbSystem">"mssql" or "sqlite".</param>
    /// <param name="operationName">The stored procedure (e.g. "scim.usp_User_Create") or the query kind (e.g. "query_accounts").</param>
    /// <param name="metrics">Where the duration goes; null when nothing observes the store (a store built by hand).</param>
    public static ArchiveStoreCommand StartCommand(string dbSystem, string operationName, ArchiveStoreMetrics? metrics = null)
    {
        var activity = ActivitySource.StartActivity(operationName, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(ScimTelemetry.DbSystemTag, dbSystem);
            activity.SetTag(ScimTelemetry.DbOperationTag, operationName);
            if (operationName.Contains('.', StringComparison.Ordinal))
            {
                // A schema-qualified name is a stored procedure call (SQL Server's scim.usp_*).
                activity.SetTag("db.stored_procedure.name", operationName);
            }
        }

        return new ArchiveStoreCommand(activity, dbSystem, operationName, metrics);
    }
}

/// <summary>One database command in flight: its span, if sampled, and the time it started.</summary>
public sealed class ArchiveStoreCommand : IDisposable
{
    private readonly Activity? _activity;
    private readonly string _dbSystem;
    private readonly string _operationName;
    private readonly ArchiveStoreMetrics? _metrics;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _failed;
    private bool _disposed;

    internal ArchiveStoreCommand(Activity? activity, string dbSystem, string operationName, ArchiveStoreMetrics? metrics)
    {
        _activity = activity;
        _dbSystem = dbSystem;
        _operationName = operationName;
        _metrics = metrics;
    }

    /// <summary>The span, when tracing recorded one.</summary>
    public Activity? Activity => _activity;

    /// <summary>Marks the command failed (the duration counts as an error) and sets the span's status.</summary>
    public void SetStatus(ActivityStatusCode status, string? description = null)
    {
        _failed |= status == ActivityStatusCode.Error;
        _activity?.SetStatus(status, description);
    }

    public void SetTag(string key, object? value) => _activity?.SetTag(key, value);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _metrics?.CommandCompleted(_dbSystem, _operationName, Stopwatch.GetElapsedTime(_started), _failed);
        _activity?.Dispose();
    }
}
