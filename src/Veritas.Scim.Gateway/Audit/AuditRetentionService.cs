using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Audit;

/// <summary>
/// Prunes audit rows older than <see cref="AuditRetentionOptions.Retention"/>: every interval,
/// batch after bounded batch until a batch comes back short, pausing between batches so that
/// the writers (whose audit rows are the newest, far from the pruned ones) are never held up.
/// </summary>
internal sealed class AuditRetentionService(
    IAuditTrailStore auditTrail,
    IOptions<AuditRetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<AuditRetentionService> logger) : BackgroundService
{
    /// <summary>One prune: returns how many rows went.</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Retention is not { } retention)
        {
            return 0;
        }

        var cutoff = timeProvider.GetUtcNow() - retention;
        long total = 0;
        while (true)
        {
            var deleted = await auditTrail.PruneAsync(cutoff, settings.PruneBatchSize, cancellationToken);
            total += deleted;
            if (deleted < settings.PruneBatchSize)
            {
                return total;
            }

            await Task.Delay(settings.PruneBatchPause, timeProvider, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Retention is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PruneInterval, timeProvider);
        do
        {
            try
            {
                var pruned = await PruneOnceAsync(stoppingToken);
                if (pruned > 0)
                {
                    GatewayLog.AuditPruned(logger, pruned);
                }
            }
            catch (Exception exception) when (exception is ArchiveStoreException or ArchiveStoreUnavailableException)
            {
                // The next interval tries again; an unavailable store must not stop the gateway.
                GatewayLog.AuditPruneFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

internal static class AuditRetentionServiceCollectionExtensions
{
    public static IServiceCollection AddAuditRetention(this IServiceCollection services)
    {
        services.AddOptions<AuditRetentionOptions>()
            .BindConfiguration(AuditRetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<AuditRetentionService>();
        return services;
    }
}
