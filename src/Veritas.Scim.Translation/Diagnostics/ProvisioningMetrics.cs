using System.Diagnostics;
using System.Diagnostics.Metrics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// The translation layer's instruments (Meter <see cref="ScimTelemetry.Name"/>, made through
/// <see cref="IMeterFactory"/>): what writes did to archive accounts and their aliases.
/// </summary>
public sealed class ProvisioningMetrics
{
    private readonly Counter<long> _provisioning;
    private readonly Counter<long> _aliasChanges;
    private readonly Counter<long> _aliasConflicts;

    public ProvisioningMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ScimTelemetry.Name);
        _provisioning = meter.CreateCounter<long>(
            ScimTelemetry.ProvisioningInstrument, "{account}", "Archive accounts created, updated, disabled, deleted or adopted (first SCIM write to a pre-existing account).");
        _aliasChanges = meter.CreateCounter<long>(ScimTelemetry.AliasChangesInstrument, "{alias}", "Aliases added to or released from archive accounts.");
        _aliasConflicts = meter.CreateCounter<long>(ScimTelemetry.AliasConflictsInstrument, "{conflict}", "Writes refused because an alias is live on another account.");
        // A scraper sees 0 before the first conflict, not a series that does not exist.
        _aliasConflicts.Add(0);
    }

    /// <summary>Counts a successful write by its outcome; a first SCIM write to a pre-existing account also counts as adopted.</summary>
    public void Provisioned(ProvisioningOutcome outcome, bool adopted = false)
    {
        _provisioning.Add(1, new KeyValuePair<string, object?>(ScimTelemetry.OutcomeTag, ScimTelemetry.OutcomeName(outcome)));
        if (adopted)
        {
            _provisioning.Add(1, new KeyValuePair<string, object?>(ScimTelemetry.OutcomeTag, ScimTelemetry.OutcomeName(ProvisioningOutcome.Adopted)));
        }
    }

    /// <summary>
    /// Runs one store write that moves an account's live aliases from <paramref name="before"/>
    /// to <paramref name="after"/>, in a span with the counts (never the addresses), and counts
    /// the alias changes when it succeeds and a conflict when an alias is taken.
    /// </summary>
    public async Task<T> SyncAliasesAsync<T>(IReadOnlyCollection<string> before, IReadOnlyCollection<string> after, Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(write);
        var (added, released) = Count(before, after);
        using var activity = added + released > 0 ? ScimTelemetry.ActivitySource.StartActivity(ScimTelemetry.AliasSyncSpanName) : null;
        try
        {
            var result = await write();
            Synced(activity, added, released, conflict: false);
            return result;
        }
        catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.AliasTaken)
        {
            Synced(activity, added, released, conflict: true);
            throw;
        }
    }

    /// <summary>
    /// The same for a write whose aliases are known only once it ran (a change computed in the
    /// store's transaction): <paramref name="aliases"/> gives them afterwards, null when the change
    /// stopped before it asked for a state. The span is recorded after the write, with its start.
    /// </summary>
    public async Task<T> SyncChangedAliasesAsync<T>(Func<Task<T>> write, Func<(IReadOnlyCollection<string> Before, IReadOnlyCollection<string> After)?> aliases)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(aliases);
        var parent = Activity.Current?.Context ?? default;
        var started = DateTimeOffset.UtcNow;
        try
        {
            var result = await write();
            SyncedAfterwards(aliases(), parent, started, conflict: false);
            return result;
        }
        catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.AliasTaken)
        {
            SyncedAfterwards(aliases(), parent, started, conflict: true);
            throw;
        }
    }

    private void SyncedAfterwards((IReadOnlyCollection<string> Before, IReadOnlyCollection<string> After)? aliases, ActivityContext parent, DateTimeOffset started, bool conflict)
    {
        if (aliases is not { } moved)
        {
            return;
        }

        var (added, released) = Count(moved.Before, moved.After);
        using var activity = added + released > 0
            ? ScimTelemetry.ActivitySource.StartActivity(ScimTelemetry.AliasSyncSpanName, ActivityKind.Internal, parent, startTime: started)
            : null;
        Synced(activity, added, released, conflict);
    }

    private static (int Added, int Released) Count(IReadOnlyCollection<string> before, IReadOnlyCollection<string> after) =>
        (after.Except(before, StringComparer.OrdinalIgnoreCase).Count(), before.Except(after, StringComparer.OrdinalIgnoreCase).Count());

    private void Synced(Activity? activity, int added, int released, bool conflict)
    {
        activity?.SetTag(ScimTelemetry.AliasesAddedTag, added);
        activity?.SetTag(ScimTelemetry.AliasesReleasedTag, released);
        activity?.SetTag(ScimTelemetry.AliasConflictsTag, conflict ? 1 : 0);
        if (conflict)
        {
            _aliasConflicts.Add(1);
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", nameof(ArchiveStoreError.AliasTaken));
        }
        else
        {
            AddAliasChanges("added", added);
            AddAliasChanges("released", released);
        }
    }

    private void AddAliasChanges(string change, int count)
    {
        if (count > 0)
        {
            _aliasChanges.Add(count, new KeyValuePair<string, object?>(ScimTelemetry.AliasChangeTag, change));
        }
    }
}
