using System.Diagnostics;
using System.Diagnostics.Metrics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// The gateway's own ActivitySource and its one Meter, both named "Veritas.Scim". Spans and
/// instruments carry the tenant key, operation names, outcomes and counts only: never a token,
/// an e-mail address, a user name or any other value a client sent.
/// </summary>
/// <remarks>
/// deploy/grafana/dashboards/scim-gateway.json queries these instruments by their Prometheus
/// names; a test in tests/Veritas.Scim.Gateway.Tests/Deploy checks that it queries nothing else.
/// </remarks>
public static class ScimTelemetry
{
    public const string Name = "Veritas.Scim";

    public const string RequestsInstrument = "scim.requests";
    public const string OperationDurationInstrument = "scim.operation.duration";
    public const string ProvisioningInstrument = "scim.provisioning.outcomes";
    public const string AliasChangesInstrument = "scim.aliases.changes";
    public const string AliasConflictsInstrument = "scim.aliases.conflicts";
    public const string StoreDurationInstrument = "scim.store.duration";
    public const string StoreRetriesInstrument = "scim.store.retries";
    public const string BreakerStateInstrument = "scim.store.circuit_breaker.state";
    public const string RateLimitedInstrument = "scim.rate_limited";

    /// <summary>Every instrument of the Meter, by name.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } =
    [
        RequestsInstrument, OperationDurationInstrument, ProvisioningInstrument, AliasChangesInstrument, AliasConflictsInstrument,
        StoreDurationInstrument, StoreRetriesInstrument, BreakerStateInstrument, RateLimitedInstrument,
    ];

    public const string TenantTag = "scim.tenant";
    public const string OperationTag = "scim.operation";
    public const string ResourceTypeTag = "scim.resource_type";
    public const string ScimTypeTag = "scim.type";
    public const string StatusCodeTag = "http.response.status_code";
    public const string OutcomeTag = "scim.outcome";
    public const string AliasChangeTag = "scim.alias.change";
    public const string AliasesAddedTag = "scim.aliases.added";
    public const string AliasesReleasedTag = "scim.aliases.released";
    public const string AliasConflictsTag = "scim.aliases.conflicts";
    public const string DbSystemTag = "db.system.name";
    public const string DbOperationTag = "db.operation.name";
    public const string StoreOutcomeTag = "scim.store.outcome";

    public const string TranslationSpanName = "scim translate";
    public const string AliasSyncSpanName = "scim alias_sync";

    private static int s_breakerState;

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    public static Counter<long> Requests { get; } = Meter.CreateCounter<long>(
        RequestsInstrument, "{request}", "SCIM requests answered, by operation, status code and scimType.");

    public static Histogram<double> OperationDuration { get; } = Meter.CreateHistogram<double>(
        OperationDurationInstrument, "s", "Time to answer one SCIM operation, by operation and status code.");

    public static Counter<long> Provisioning { get; } = Meter.CreateCounter<long>(
        ProvisioningInstrument, "{account}", "Archive accounts created, updated, disabled, deleted or adopted (first SCIM write to a pre-existing account).");

    public static Counter<long> AliasChanges { get; } = Meter.CreateCounter<long>(
        AliasChangesInstrument, "{alias}", "Aliases added to or released from archive accounts.");

    public static Counter<long> AliasConflicts { get; } = Meter.CreateCounter<long>(
        AliasConflictsInstrument, "{conflict}", "Writes refused because an alias is live on another account.");

    public static Histogram<double> StoreDuration { get; } = Meter.CreateHistogram<double>(
        StoreDurationInstrument, "s", "Duration of one archive store command (one database round trip).");

    public static Counter<long> StoreRetries { get; } = Meter.CreateCounter<long>(
        StoreRetriesInstrument, "{retry}", "Store commands retried after a transient database error.");

    public static ObservableGauge<int> BreakerState { get; } = Meter.CreateObservableGauge(
        BreakerStateInstrument, () => Volatile.Read(ref s_breakerState), "{state}", "The store's circuit breaker: 0 closed, 1 open, 2 half-open.");

    public static Counter<long> RateLimited { get; } = Meter.CreateCounter<long>(
        RateLimitedInstrument, "{request}", "SCIM requests refused with 429 by the per-tenant rate limit.");

    /// <summary>The store's circuit breaker changed state (reported by the SQL Server pipeline).</summary>
    public static void ReportBreakerState(StoreCircuitState state) => Volatile.Write(ref s_breakerState, (int)state);

    public static void StoreRetried(string dbSystem) => StoreRetries.Add(1, new KeyValuePair<string, object?>(DbSystemTag, dbSystem));

    public static void RequestRateLimited() => RateLimited.Add(1);

    /// <summary>Runs the SCIM ⇄ archive translation step in its own span.</summary>
    public static T Translate<T>(string operation, Func<T> translate)
    {
        ArgumentNullException.ThrowIfNull(translate);
        using var activity = ActivitySource.StartActivity(TranslationSpanName);
        activity?.SetTag(OperationTag, operation);
        try
        {
            return translate();
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", exception.GetType().FullName);
            throw;
        }
    }

    /// <summary>
    /// Runs one store write that moves an account's live aliases from <paramref name="before"/>
    /// to <paramref name="after"/>, in a span with the counts (never the addresses), and counts
    /// the alias changes when it succeeds and a conflict when an alias is taken.
    /// </summary>
    public static async Task<T> SyncAliasesAsync<T>(IReadOnlyCollection<string> before, IReadOnlyCollection<string> after, Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(write);
        var added = after.Except(before, StringComparer.OrdinalIgnoreCase).Count();
        var released = before.Except(after, StringComparer.OrdinalIgnoreCase).Count();
        using var activity = added + released > 0 ? ActivitySource.StartActivity(AliasSyncSpanName) : null;
        activity?.SetTag(AliasesAddedTag, added);
        activity?.SetTag(AliasesReleasedTag, released);
        activity?.SetTag(AliasConflictsTag, 0);
        try
        {
            var result = await write();
            AddAliasChanges("added", added);
            AddAliasChanges("released", released);
            return result;
        }
        catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.AliasTaken)
        {
            AliasConflicts.Add(1);
            activity?.SetTag(AliasConflictsTag, 1);
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", nameof(ArchiveStoreError.AliasTaken));
            throw;
        }
    }

    /// <summary>Counts a successful write by its outcome; a first SCIM write to a pre-existing account also counts as adopted.</summary>
    public static void Provisioned(ProvisioningOutcome outcome, bool adopted = false)
    {
        Provisioning.Add(1, new KeyValuePair<string, object?>(OutcomeTag, OutcomeName(outcome)));
        if (adopted)
        {
            Provisioning.Add(1, new KeyValuePair<string, object?>(OutcomeTag, OutcomeName(ProvisioningOutcome.Adopted)));
        }
    }

    /// <summary>The outcome of an update from the account as read and the state written.</summary>
    public static ProvisioningOutcome UpdateOutcome(ArchiveAccount current, ArchiveAccountState state)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(state);
        return current.Status == AccountStatus.Enabled && !state.Enabled ? ProvisioningOutcome.Disabled : ProvisioningOutcome.Updated;
    }

    public static string OutcomeName(ProvisioningOutcome outcome) => outcome switch
    {
        ProvisioningOutcome.Created => "created",
        ProvisioningOutcome.Updated => "updated",
        ProvisioningOutcome.Disabled => "disabled",
        ProvisioningOutcome.Deleted => "deleted",
        ProvisioningOutcome.Adopted => "adopted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static void AddAliasChanges(string change, int count)
    {
        if (count > 0)
        {
            AliasChanges.Add(count, new KeyValuePair<string, object?>(AliasChangeTag, change));
        }
    }
}

/// <summary>What a successful SCIM write did to an archive account.</summary>
public enum ProvisioningOutcome
{
    Created,
    Updated,
    Disabled,
    Deleted,
    Adopted,
}

/// <summary>The store's circuit breaker, as the <see cref="ScimTelemetry.BreakerStateInstrument"/> gauge reports it.</summary>
public enum StoreCircuitState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}
