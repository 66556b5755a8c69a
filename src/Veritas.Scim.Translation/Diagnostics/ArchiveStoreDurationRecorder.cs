using System.Diagnostics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Diagnostics;

/// <summary>
/// Records <see cref="ScimTelemetry.StoreDuration"/> from the spans every store already starts on
/// <see cref="ArchiveStoreTelemetry"/> (one per round trip), so the stores need no second hook.
/// It asks only for propagation data, so it never makes a span recorded that tracing sampled out.
/// </summary>
public static class ArchiveStoreDurationRecorder
{
    private static readonly Lock s_gate = new();
    private static ActivityListener? s_listener;

    /// <summary>Starts listening once per process; later calls do nothing.</summary>
    public static void EnsureStarted()
    {
        lock (s_gate)
        {
            if (s_listener is not null)
            {
                return;
            }

            s_listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ArchiveStoreTelemetry.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
                ActivityStopped = Record,
            };
            ActivitySource.AddActivityListener(s_listener);
        }
    }

    private static void Record(Activity activity)
    {
        ScimTelemetry.StoreDuration.Record(
            activity.Duration.TotalSeconds,
            new KeyValuePair<string, object?>(ScimTelemetry.DbSystemTag, activity.GetTagItem(ScimTelemetry.DbSystemTag)),
            new KeyValuePair<string, object?>(ScimTelemetry.DbOperationTag, activity.GetTagItem(ScimTelemetry.DbOperationTag)),
            new KeyValuePair<string, object?>(ScimTelemetry.StoreOutcomeTag, activity.Status == ActivityStatusCode.Error ? "error" : "ok"));
    }
}
