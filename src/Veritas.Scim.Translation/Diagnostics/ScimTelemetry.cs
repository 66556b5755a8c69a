using System.Diagnostics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// The gateway's own ActivitySource ("Veritas.Scim") and the names of every instrument and tag.
/// The instruments themselves belong to each layer's class, made through IMeterFactory
/// (<see cref="ProvisioningMetrics"/>, <see cref="ArchiveStoreMetrics"/> and the host's own).
/// Spans and instruments carry the tenant key, operation names, outcomes and counts only: never
/// a token, an e-mail address, a user name or any other value a client sent.
/// </summary>
/// <remarks>
/// deploy/grafana/dashboards/scim-gateway.json queries these instruments by their Prometheus
/// names; a test in tests/Veritas.Scim.Gateway.Tests/Deploy checks that it queries nothing else.
/// </remarks>
public static class ScimTelemetry
{
    /// <summary>The ActivitySource, and the Meter of the translation layer's instruments.</summary>
    public const string Name = "Veritas.Scim";

    public const string RequestsInstrument = "scim.requests";
    public const string OperationDurationInstrument = "scim.operation.duration";
    public const string ProvisioningInstrument = "scim.provisioning.outcomes";
    public const string AliasChangesInstrument = "scim.aliases.changes";
    public const string AliasConflictsInstrument = "scim.aliases.conflicts";
    public const string StoreDurationInstrument = "scim.store.duration";
    public const string StoreRetriesInstrument = "scim.store.retries";
    public const string StoreCommitDurationInstrument = "scim.store.commit.duration";
    public const string StoreCommitRequestsInstrument = "scim.store.commit.requests";
    public const string BreakerStateInstrument = "scim.store.circuit_breaker.state";
    public const string RateLimitedInstrument = "scim.rate_limited";

    /// <summary>Every instrument of the gateway's own Meters, by name.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } =
    [
        RequestsInstrument, OperationDurationInstrument, ProvisioningInstrument, AliasChangesInstrument, AliasConflictsInstrument,
        StoreDurationInstrument, StoreRetriesInstrument, StoreCommitDurationInstrument, StoreCommitRequestsInstrument,
        BreakerStateInstrument, RateLimitedInstrument,
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

    public static ActivitySource ActivitySource { get; } = new(Name);

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
    /// Runs <paramref name="run"/> with <paramref name="caller"/> as the current activity: the
    /// spans it starts stay in the caller's trace on a thread that is not the caller's (the
    /// embedded store's writer computes a change there).
    /// </summary>
    public static T InActivityOf<T>(Activity? caller, Func<T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var previous = Activity.Current;
        if (ReferenceEquals(previous, caller))
        {
            return run();
        }

        Activity.Current = caller;
        try
        {
            return run();
        }
        finally
        {
            Activity.Current = previous;
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
