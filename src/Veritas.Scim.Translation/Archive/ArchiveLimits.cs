namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The widths of the legacy columns (sql/legacy) and of scim.UserMap. Values are checked against
/// them before any write, so that a long value is a SCIM 400 rather than a truncation error.
/// </summary>
public static class ArchiveLimits
{
    public const int UserName = 256;
    public const int SmtpAddress = 320;
    public const int FirstName = 128;
    public const int LastName = 128;
    public const int DisplayName = 256;
    public const int ExternalId = 256;
}
