using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>The <c>/readyz</c> check: the archive store is reachable and its schema is present.</summary>
internal sealed partial class ArchiveReadinessCheck(IArchiveHealthProbe probe, ILogger<ArchiveReadinessCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var problem = await probe.CheckAsync(cancellationToken);
            return problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The exception stays in the log; the probe's answer says only that the store is unreachable.
            GatewayLog.ArchiveNotReady(logger, exception);
            return HealthCheckResult.Unhealthy("The archive store is unreachable.");
        }
    }
}
