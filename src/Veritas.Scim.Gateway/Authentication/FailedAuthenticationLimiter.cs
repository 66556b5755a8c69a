using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Configuration;

namespace Veritas.Scim.Gateway.Authentication;

/// <summary>
/// Counts failed bearer authentications per client address in a fixed window. An address past
/// its limit is refused before its token is looked up, so guessing tokens costs the store at most
/// <see cref="ScimFailedAuthenticationOptions.PermitLimit"/> lookups per window and address.
/// Behind a trusted proxy the address is the forwarded client's (Scim:TrustedProxies).
/// </summary>
internal sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public FailedAuthenticationLimiter(IOptions<ScimFailedAuthenticationOptions> options)
    {
        var settings = options.Value;
        Window = settings.Window;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = settings.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public TimeSpan Window { get; }

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Whether the address has failed too often; if so, <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string address, out TimeSpan retryAfter)
    {
        using var probe = _failures.AttemptAcquire(address, 0);
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return !probe.IsAcquired;
    }

    public void RecordFailure(string address)
    {
        using var _ = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures.Dispose();
}
