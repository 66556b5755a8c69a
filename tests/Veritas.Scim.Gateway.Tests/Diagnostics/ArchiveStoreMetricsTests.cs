using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// Store durations are measured in the store-call wrapper itself, so they are recorded whether or
/// not tracing samples the command's span.
/// </summary>
public sealed class ArchiveStoreMetricsTests
{
    [Theory]
    [InlineData(false, "ok")]
    [InlineData(true, "error")]
    public void A_command_records_its_duration_with_system_operation_and_outcome_even_when_its_span_is_not_sampled(bool fails, string outcome)
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<ArchiveStoreMetrics>().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var metrics = services.GetRequiredService<ArchiveStoreMetrics>();
        var recorded = new List<(double Seconds, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == ScimTelemetry.StoreDurationInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            lock (recorded)
            {
                recorded.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        meters.Start();
        // Tracing that samples every store span out: the duration must not depend on the span.
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArchiveStoreTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(tracing);
        var operation = "op_" + Guid.NewGuid().ToString("N");

        var started = Stopwatch.GetTimestamp();
        using (var command = ArchiveStoreTelemetry.StartCommand("sqlite", operation, metrics))
        {
            Thread.Sleep(15);
            if (fails)
            {
                command.SetStatus(ActivityStatusCode.Error, "boom");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (seconds, tags) = Assert.Single(recorded, r => Equals(r.Tags[ScimTelemetry.DbOperationTag], operation));
        Assert.Equal("sqlite", tags[ScimTelemetry.DbSystemTag]);
        Assert.Equal(outcome, tags[ScimTelemetry.StoreOutcomeTag]);
        Assert.InRange(seconds, 0.010, elapsed);
    }

    [Fact]
    public void A_command_disposed_twice_is_recorded_once()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<ArchiveStoreMetrics>().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var count = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meterFactory && instrument.Name == ScimTelemetry.StoreDurationInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref count));
        meters.Start();

        var command = ArchiveStoreTelemetry.StartCommand("mssql", "scim.usp_User_Get", services.GetRequiredService<ArchiveStoreMetrics>());
        command.Dispose();
        command.Dispose();

        Assert.Equal(1, count);
    }
}
