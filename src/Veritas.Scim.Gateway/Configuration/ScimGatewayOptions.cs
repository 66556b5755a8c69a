using System.ComponentModel.DataAnnotations;

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
public sealed class ScimGatewayOptions
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
