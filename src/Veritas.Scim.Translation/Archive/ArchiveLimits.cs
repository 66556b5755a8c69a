namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The widths of the legacy columns (sql/legacy) and of the scim tables, in characters (bytes for
/// binary). Values are checked against them before any write, so that a long value is a SCIM 400
/// rather than a truncation error; the SQL Server procedure calls declare their parameters with
/// them, and the deployer's schema check expects the archive's columns to be at least this wide.
/// </summary>
public static class ArchiveLimits
{
    public const int UserName = 256;
    public const int SmtpAddress = 320;
    public const int FirstName = 128;
    public const int LastName = 128;
    public const int DisplayName = 256;
    public const int ExternalId = 256;
    public const int VaultEntryId = 64;
    public const int TenantKey = 64;
    public const int CorrelationId = 128;
    public const int CustomerName = 200;
    public const int TokenHash = 32;

    /// <summary>The stored list of a user's other work addresses (a JSON array of strings).</summary>
    public const int OtherWorkEmails = 4000;

    /// <summary>An audit row's operation (<see cref="AuditOperations"/>).</summary>
    public const int AuditOperation = 32;

    /// <summary>An audit row's outcome (<see cref="AuditOperations.Succeeded"/>).</summary>
    public const int AuditOutcome = 32;
}
