using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Conformance;

/// <summary>
/// One store under test. Each store's test project implements this and derives a sealed class
/// from <c>ArchiveStoreConformanceTests</c> with it as a class fixture.
/// </summary>
public interface IArchiveStoreFixture
{
    /// <summary>Why this store cannot run here (no Docker, no connection string), or null when it can.</summary>
    string? SkipReason { get; }

    IArchiveAccountStore Accounts { get; }

    ITenantStore Tenants { get; }

    /// <summary>Creates a fresh customer straight in the legacy tables, so tests never share rows.</summary>
    Task<int> CreateCustomerAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts an account straight into the legacy tables, as the archive did before any SCIM
    /// (no user map), and returns its VaultEntryId.
    /// </summary>
    Task<string> InsertLegacyAccountAsync(int customerId, LegacyAccountSeed seed, CancellationToken cancellationToken);

    /// <summary>Reads the legacy rows of an account directly, bypassing the store under test.</summary>
    Task<LegacyAccountRow?> ReadLegacyAccountAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken);
}

/// <summary>An account as an older directory sync or an administrator would have made it.</summary>
public sealed record LegacyAccountSeed(
    string UserName,
    string PrimarySmtpAddress,
    string? FirstName = null,
    string? LastName = null,
    string? DisplayName = null,
    AccountStatus Status = AccountStatus.Enabled,
    IReadOnlyList<string>? Aliases = null);

/// <summary>What the legacy tables hold for one account, whatever its status.</summary>
/// <param name="LiveAliases">Alias rows with RemovedUtc null.</param>
/// <param name="ReleasedAliases">Alias rows with RemovedUtc set (kept for past mail).</param>
/// <param name="ArchiveCount">Rows in dbo.Archive for the account (always 1).</param>
/// <param name="AuditRows">scim.AuditLog rows that name this account.</param>
public sealed record LegacyAccountRow(
    string VaultEntryId,
    string UserName,
    AccountStatus Status,
    IReadOnlyList<string> LiveAliases,
    IReadOnlyList<string> ReleasedAliases,
    int ArchiveCount,
    int AuditRows);
