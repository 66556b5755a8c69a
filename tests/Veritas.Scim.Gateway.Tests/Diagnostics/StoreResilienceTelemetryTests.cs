using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Archive.SqlServer;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// The SQL Server store's retries and circuit breaker reach the Meter. No SQL Server is needed:
/// a local socket that accepts and never answers makes every attempt time out, which the
/// pipeline treats as transient.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class StoreResilienceTelemetryTests
{
    [Fact]
    public async Task Timed_out_attempts_are_counted_as_retries_and_the_opened_breaker_shows_on_the_gauge()
    {
        using var silentServer = new TcpListener(IPAddress.Loopback, 0);
        silentServer.Start();
        var port = ((IPEndPoint)silentServer.LocalEndpoint).Port;
        await using var services = new ServiceCollection()
            .AddSqlServerArchiveStore(options =>
            {
                options.ConnectionString = $"Server=127.0.0.1,{port};Database=VaultArchive;User Id=sa;Password=unused;TrustServerCertificate=True;Connect Timeout=5";
                options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
                options.RetryCount = 2;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                options.BreakerMinimumThroughput = 2;
                options.BreakerFailureRatio = 0.5;
                options.BreakerSamplingDuration = TimeSpan.FromSeconds(30);
                options.BreakerBreakDuration = TimeSpan.FromSeconds(30);
            })
            .BuildServiceProvider();
        var store = services.GetRequiredService<IArchiveAccountStore>();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        long retries = 0;
        var breakerState = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                // Only this provider's store: its meter is scoped to the provider's IMeterFactory.
                if (instrument.Meter.Name == ArchiveStoreMetrics.MeterName && instrument.Meter.Scope == meterFactory
                    && instrument.Name is ScimTelemetry.StoreRetriesInstrument or ScimTelemetry.BreakerStateInstrument)
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (value == 0)
            {
                // The counter starts its label-less series at zero.
                return;
            }

            Assert.Contains(tags.ToArray(), tag => tag.Key == ScimTelemetry.DbSystemTag && Equals(tag.Value, "mssql"));
            Interlocked.Add(ref retries, value);
        });
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => breakerState = value);
        listener.Start();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.GetAsync(1, "any", TestContext.Current.CancellationToken));

        Assert.True(failure is ArchiveStoreUnavailableException, failure.ToString());
        Assert.True(Interlocked.Read(ref retries) >= 1, "no retry was counted");
        listener.RecordObservableInstruments();
        Assert.Equal((int)StoreCircuitState.Open, breakerState);
        var readiness = await services.GetRequiredService<IArchiveHealthProbe>().CheckAsync(TestContext.Current.CancellationToken)
            .ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
        Assert.IsType<ArchiveStoreUnavailableException>(readiness);
    }
}
