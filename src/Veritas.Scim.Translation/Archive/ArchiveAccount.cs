namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// What a SCIM write sets on an archive account. <see cref="Aliases"/> is the normalised set of
/// live alias addresses (no primary address, no duplicates); <see cref="ScimAttributesJson"/> is
/// the adapter's lossless copy of what the client wrote where the legacy columns cannot keep it
/// (raw emailAliases form, attributes without a column); the store keeps it opaque.
/// </summary>
public sealed record ArchiveAccountState(
    string UserName,
    string? PrimarySmtpAddress,
    string? FirstName,
    string? LastName,
    string? DisplayName,
    bool Enabled,
    string? ExternalId,
    IReadOnlyList<string> Aliases,
    string? ScimAttributesJson)
{
    /// <summary>
    /// The user's work e-mail addresses other than <see cref="PrimarySmtpAddress"/>, ASCII letters
    /// lower-cased, no duplicates: the store keeps them beside the user map so that a lookup of a
    /// work address finds every account that has it (RFC 7643 §4.1.2 allows any number per type).
    /// </summary>
    public IReadOnlyList<string> OtherWorkEmails { get; init; } = [];
}

/// <summary>An account as stored, with its SCIM identity and optimistic-concurrency version.</summary>
/// <param name="VaultEntryId">The stable legacy key; the SCIM <c>id</c>.</param>
/// <param name="Version">Changes on every write (SQL Server rowversion as a number).</param>
/// <param name="Aliases">Live alias addresses as stored, in the order they were added.</param>
/// <param name="HasUserMap">False for a pre-existing account that SCIM has never written.</param>
public sealed record ArchiveAccount(
    string VaultEntryId,
    int CustomerId,
    string UserName,
    string? PrimarySmtpAddress,
    string? FirstName,
    string? LastName,
    string? DisplayName,
    AccountStatus Status,
    ProvisioningSource Source,
    string? ExternalId,
    IReadOnlyList<string> Aliases,
    string? ScimAttributesJson,
    bool HasUserMap,
    long Version,
    DateTimeOffset CreatedUtc,
    DateTimeOffset ModifiedUtc);

/// <summary>ArchiveAccount.AccountStatus in the legacy schema.</summary>
public enum AccountStatus
{
    Enabled = 0,
    Disabled = 1,
    Deleted = 2,
}

/// <summary>ArchiveAccount.ProvisioningSource in the legacy schema.</summary>
public enum ProvisioningSource
{
    Manual = 0,
    DirectorySync = 1,
    Office365 = 2,
    Scim = 3,
}

/// <summary>Who asked for a write, for the audit row the write procedure appends itself.</summary>
/// <param name="TenantKey">The SCIM tenant (URL segment) the request came through.</param>
/// <param name="CorrelationId">The trace id of the request.</param>
public sealed record AuditContext(string TenantKey, string CorrelationId);
