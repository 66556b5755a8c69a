using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>Turns the procedures' documented errors (50001..50006) into <see cref="ArchiveStoreException"/>s.</summary>
internal static class SqlServerErrorMapper
{
    /// <summary>The procedures name the address after this text (sql/scim/programmability, THROW 50003).</summary>
    public const string AliasTakenMessagePrefix = "Alias address is live on another account: ";

    public static ArchiveStoreException? Map(int number, string message, Exception? innerException) => number switch
    {
        50001 => new ArchiveStoreException(ArchiveStoreError.NotFound, message, null, innerException),
        50002 => new ArchiveStoreException(ArchiveStoreError.UserNameTaken, message, null, innerException),
        50003 => new ArchiveStoreException(ArchiveStoreError.AliasTaken, message, AddressIn(message), innerException),
        50004 => new ArchiveStoreException(ArchiveStoreError.VersionMismatch, message, null, innerException),
        50005 => new ArchiveStoreException(ArchiveStoreError.TenantNotFound, message, null, innerException),
        50006 => new ArchiveStoreException(ArchiveStoreError.TenantExists, message, null, innerException),
        _ => null,
    };

    public static bool TryMap(SqlException exception, [NotNullWhen(true)] out ArchiveStoreException? mapped)
    {
        ArgumentNullException.ThrowIfNull(exception);
        mapped = Map(exception.Number, exception.Message, exception);
        return mapped is not null;
    }

    private static string? AddressIn(string message)
    {
        var start = message.IndexOf(AliasTakenMessagePrefix, StringComparison.Ordinal);
        return start < 0 ? null : message[(start + AliasTakenMessagePrefix.Length)..].Trim();
    }
}
