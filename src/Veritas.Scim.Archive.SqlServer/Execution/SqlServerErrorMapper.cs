using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>Turns the procedures' documented errors (<see cref="ArchiveStoreErrorCodes"/>) into <see cref="ArchiveStoreException"/>s.</summary>
internal static class SqlServerErrorMapper
{
    /// <summary>The procedures name the address after this text (sql/scim/programmability, THROW 50003).</summary>
    public const string AliasTakenMessagePrefix = "Alias address is live on another account: ";

    public static ArchiveStoreException? Map(int number, string message, Exception? innerException) =>
        ArchiveStoreErrorCodes.ToException(number, AddressIn(message), innerException);

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
