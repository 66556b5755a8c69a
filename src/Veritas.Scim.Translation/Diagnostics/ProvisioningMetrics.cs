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
        var added = after.Except(before, StringComparer.OrdinalIgnoreCase).Count();
        var released = before.Except(after, StringComparer.OrdinalIgnoreCase).Count();
        using var activity = added + released > 0 ? ScimTelemetry.ActivitySource.StartActivity(ScimTelemetry.AliasSyncSpanName) : null;
        activity?.SetTag(ScimTelemetry.AliasesAddedTag, added);
        activity?.SetTag(ScimTelemetry.AliasesReleasedTag, released);
        activity?.SetTag(ScimTelemetry.AliasConflictsTag, 0);
        try
        {
            var result = await write();
            AddAliasChanges("added", added);
            AddAliasChanges("released", released);
            return result;
        }
        catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.AliasTaken)
        {
            _aliasConflicts.Add(1);
            activity?.SetTag(ScimTelemetry.AliasConflictsTag, 1);
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", nameof(ArchiveStoreError.AliasTaken));
            throw;
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
