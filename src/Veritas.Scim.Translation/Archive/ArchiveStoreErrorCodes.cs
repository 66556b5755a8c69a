using System.Collections.Frozen;
using System.Globalization;

namespace Veritas.Scim.Translation.Archive;

/// <summary>One store error number: what the SQL Server procedures THROW and the SQLite guards raise.</summary>
/// <param name="Number">The number (50001 and up).</param>
/// <param name="Error">What the caller is told; null for a number a store handles itself (never reaches the caller as such).</param>
/// <param name="Meaning">The message both stores give the caller.</param>
public sealed record ArchiveStoreErrorCode(int Number, ArchiveStoreError? Error, string Meaning);

/// <summary>
/// The one table of store error numbers. The procedures in sql/ THROW them, the SQLite store's
/// guards raise them as SQL literals (hence the string constants), and both stores map them back
/// through <see cref="ToException(int, string?, Exception?)"/>; a contract test checks that every THROW in sql/ is listed here.
/// </summary>
public static class ArchiveStoreErrorCodes
{
    public const string NotFound = "50001";
    public const string UserNameTaken = "50002";
    public const string AliasTaken = "50003";
    public const string VersionMismatch = "50004";
    public const string TenantNotFound = "50005";
    public const string TenantExists = "50006";
    public const string TokenExists = "50007";

    /// <summary>
    /// SQL Server: the write lock a procedure takes first was not granted, so nothing was written;
    /// the store retries it like a deadlock and never shows it to the caller.
    /// </summary>
    public const string WriteLockNotGranted = "50008";

    public static IReadOnlyList<ArchiveStoreErrorCode> All { get; } =
    [
        new(Parse(NotFound), ArchiveStoreError.NotFound, "The archive account was not found."),
        new(Parse(UserNameTaken), ArchiveStoreError.UserNameTaken, "Another account of the customer has this user name."),
        new(Parse(AliasTaken), ArchiveStoreError.AliasTaken, "An alias is live on another account of the customer."),
        new(Parse(VersionMismatch), ArchiveStoreError.VersionMismatch, "The archive account changed since it was read."),
        new(Parse(TenantNotFound), ArchiveStoreError.TenantNotFound, "The tenant, customer or token was not found."),
        new(Parse(TenantExists), ArchiveStoreError.TenantExists, "A tenant with this key exists already."),
        new(Parse(TokenExists), ArchiveStoreError.TokenExists, "A token with this hash exists already."),
        new(Parse(WriteLockNotGranted), null, "The write lock was not granted; nothing was written."),
    ];

    private static readonly FrozenDictionary<int, ArchiveStoreErrorCode> ByNumber = All.ToFrozenDictionary(code => code.Number);

    public static ArchiveStoreErrorCode? Find(int number) => ByNumber.GetValueOrDefault(number);

    /// <summary>The caller-facing failure for a store error number, or null when the number is not one of them (or is handled by the store).</summary>
    public static ArchiveStoreException? ToException(int number, string? address, Exception? innerException) =>
        Find(number) is { Error: { } error } code
            ? new ArchiveStoreException(error, code.Meaning, error == ArchiveStoreError.AliasTaken ? address : null, innerException)
            : null;

    /// <inheritdoc cref="ToException(int, string?, Exception?)"/>
    public static ArchiveStoreException? ToException(string number, string? address, Exception? innerException) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? ToException(parsed, address, innerException) : null;

    private static int Parse(string number) => int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture);
}
