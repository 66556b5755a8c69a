using Microsoft.Data.SqlClient;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>
/// The pipeline every command runs in: retry (jittered exponential backoff, transient errors
/// only) around a circuit breaker around a per-attempt timeout. Documented store errors
/// (50001..50006) are mapped before they reach it and are never retried.
/// </summary>
internal static class SqlServerResiliencePipeline
{
    public static ResiliencePipeline Create(SqlServerStoreOptions options, TimeProvider? timeProvider = null, ArchiveStoreMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = new PredicateBuilder()
            .Handle<SqlException>(SqlServerTransientErrors.IsTransient)
            .Handle<TimeoutException>()
            .Handle<TimeoutRejectedException>();

        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        if (options.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
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
                ShouldHandle = transient,
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

    private static ValueTask ReportBreaker(ArchiveStoreMetrics? metrics, StoreCircuitState state)
    {
        metrics?.ReportBreakerState(state);
        return default;
    }
}
