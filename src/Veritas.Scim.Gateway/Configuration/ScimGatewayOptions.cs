using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Veritas.Scim.Gateway.Configuration;

/// <summary>Which archive store the gateway runs on.</summary>
public enum ArchiveStoreKind
{
    /// <summary>The embedded SQLite store in the data folder: no set-up, for trials and development.</summary>
    Sqlite,

    /// <summary>The archive's SQL Server database, through the adapter's stored procedures.</summary>
    SqlServer,
}

/// <summary>The gateway's own settings (section "Scim"), validated on start.</summary>
public sealed class ScimGatewayOptions : IValidatableObject
{
    public const string SectionName = "Scim";

    public ArchiveStoreKind Store { get; set; } = ArchiveStoreKind.Sqlite;

    /// <summary>Where the embedded store keeps its database; VERITAS_SCIM_DATA overrides it.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The largest SCIM request body accepted; larger ones get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The largest page a query returns (count is clamped to it).</summary>
    [Range(1, 10_000)]
    public int MaxResults { get; set; } = 200;

    [Range(16, 65_536)]
    public int MaxFilterLength { get; set; } = 4096;

    [Range(1, 256)]
    public int MaxFilterDepth { get; set; } = 32;

    [Range(0, 10_000)]
    public int MaxAliasesPerUser { get; set; } = 500;

    /// <summary>How long a resolved token is trusted before it is looked up again (revocation delay).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On the embedded store, create the demo customer and a tenant "demo" when there is no tenant.</summary>
    public bool CreateDemoTenant { get; set; } = true;

    /// <summary>
    /// The scheme, host and optional path prefix clients reach the gateway at
    /// (<c>https://scim.example.com</c>); Location and meta.location are built on it. Without it,
    /// see <see cref="TrustedProxies"/> and README "Public address".
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>) of reverse proxies whose
    /// X-Forwarded-For, -Proto and -Host are believed; from anyone else they are ignored.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0))
        {
            yield return new ValidationResult($"Scim:PublicBaseUrl '{url}' must be an absolute http or https URL without query, fragment or user info.", [nameof(PublicBaseUrl)]);
        }

        foreach (var proxy in TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"Scim:TrustedProxies entry '{proxy}' is neither an IP address nor a network such as 10.0.0.0/8.", [nameof(TrustedProxies)]);
            }
        }
    }
}

/// <summary>
/// Failed bearer authentication per client address (section "Scim:FailedAuthentication"): past
/// the limit an address gets 429 without a store lookup; the cache of tokens known to be bad is bounded.
/// </summary>
public sealed class ScimFailedAuthenticationOptions
{
    public const string SectionName = "Scim:FailedAuthentication";

    /// <summary>Failed attempts one client address may make per <see cref="Window"/>.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many distinct bad tokens are remembered (each answered without a store lookup while remembered).</summary>
    [Range(0, 1_000_000)]
    public int NegativeCacheSize { get; set; } = 10_000;
}

/// <summary>Per-tenant token bucket (section "Scim:RateLimit"): Entra needs about 25 requests/s per tenant.</summary>
public sealed class ScimRateLimitOptions
{
    public const string SectionName = "Scim:RateLimit";

    [Range(1, 100_000)]
    public int TokensPerSecond { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int BurstSize { get; set; } = 200;

    [Range(0, 100_000)]
    public int QueueLimit { get; set; }
}
