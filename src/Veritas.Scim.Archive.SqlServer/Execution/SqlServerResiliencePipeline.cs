using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>
/// The pipeline every command runs in: retry (jittered exponential backoff) around a circuit
/// breaker around a per-attempt timeout. A read is retried after any transient failure; a write
/// (<see cref="WritesKey"/> set on the context) only after a failure that proves nothing was
/// committed. Documented store errors are mapped before they reach it and are never retried.
/// </summary>
internal static class SqlServerResiliencePipeline
{
    /// <summary>Set to true on the <see cref="ResilienceContext"/> of a call whose replay is not harmless.</summary>
    public static ResiliencePropertyKey<bool> WritesKey { get; } = new("veritas.scim.writes");

    public static ResiliencePipeline Create(SqlServerStoreOptions options, TimeProvider? timeProvider = null, ArchiveStoreMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        if (options.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && MayRetry(args.Context, exception)),
                MaxRetryAttempts = options.RetryCount,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = _ =>
                {
                    metrics?.Retried(SqlServerCommandRunner.DbSystem);
                    return default;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && SqlServerTransientErrors.IsTransient(exception)),
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                OnOpened = _ => ReportBreaker(metrics, StoreCircuitState.Open),
                OnHalfOpened = _ => ReportBreaker(metrics, StoreCircuitState.HalfOpen),
                OnClosed = _ => ReportBreaker(metrics, StoreCircuitState.Closed),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Whether an attempt that failed with <paramref name="exception"/> may be repeated.</summary>
    public static bool MayRetry(ResilienceContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Properties.GetValue(WritesKey, false)
            ? SqlServerTransientErrors.ProvesNothingCommitted(exception)
            : SqlServerTransientErrors.IsTransient(exception);
    }

    private static ValueTask ReportBreaker(ArchiveStoreMetrics? metrics, StoreCircuitState state)
    {
        metrics?.ReportBreakerState(state);
        return default;
    }
}
