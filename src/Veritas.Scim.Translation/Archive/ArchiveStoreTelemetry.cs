using System.Diagnostics;

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

    /// <summary>Starts the span for one database command; dispose it when the command completes.</summary>
    /// <param name="dbSystem">"mssql" or "sqlite".</param>
    /// <param name="operationName">The stored procedure (e.g. "scim.usp_User_Create") or the query kind (e.g. "query_accounts").</param>
    public static Activity? StartCommand(string dbSystem, string operationName)
    {
        var activity = ActivitySource.StartActivity(operationName, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", dbSystem);
            activity.SetTag("db.operation.name", operationName);
            if (operationName.Contains('.', StringComparison.Ordinal))
            {
                // A schema-qualified name is a stored procedure call (SQL Server's scim.usp_*).
                activity.SetTag("db.stored_procedure.name", operationName);
            }
        }

        return activity;
    }
}
