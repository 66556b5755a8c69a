using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.Scim;

namespace Veritas.Scim.Gateway.RateLimiting;

/// <summary>
/// A token bucket per authenticated tenant, named by the SCIM routes' RateLimiterPolicy. It runs
/// after authentication, so only real tenants get a bucket and a flood of made-up tenant names
/// costs no memory.
/// </summary>
internal static class TenantRateLimiting
{
    public const string PolicyName = "scim-tenant";

    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<ScimRateLimitOptions>().BindConfiguration(ScimRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, TenantRateLimiterPolicy>(PolicyName);
            limiter.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TenantRateLimiting));
                context.RequestServices.GetRequiredService<GatewayMetrics>().RequestRateLimited();
                GatewayLog.RateLimited(logger);

                // The refusal never reaches the SCIM handler, yet it is an answer to a SCIM operation:
                // it is counted and timed with the others (status 429), so error rates include it.
                var match = ScimOperations.Resolve(context.Request.Method, context.GetRouteValue("rest") as string);
                using var operation = ScimOperationTelemetry.Start(context, match, logger);
                await ScimResultWriter.WriteAsync(context, ScimErrors.TenantRateLimited(retryAfter));
            };
        });
        return services;
    }
}

/// <summary>The bucket of the request's tenant; a tenant's bucket is made from the settings current when its first request comes.</summary>
internal sealed class TenantRateLimiterPolicy : IRateLimiterPolicy<string>
{
    private readonly Func<string, TokenBucketRateLimiterOptions> _newBucket;

    public TenantRateLimiterPolicy(IOptionsMonitor<ScimRateLimitOptions> options)
    {
        _newBucket = _ =>
        {
            var settings = options.CurrentValue;
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.BurstSize,
                TokensPerPeriod = settings.TokensPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = settings.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            };
        };
    }

    /// <summary>None of its own: the limiter's OnRejected answers every refusal.</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(httpContext.User.FindFirst(ScimBearerAuthenticationHandler.TenantClaim)?.Value ?? string.Empty, _newBucket);
}
