using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Polly.Timeout;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>
/// Which failures are worth another attempt, and which of them prove that a write committed
/// nothing. A read may be repeated after any transient failure. A write may be repeated only when
/// the failure proves it changed nothing: repeating a write that did commit (a timeout or a
/// dropped connection can arrive after COMMIT) would answer the caller's own create with 409 and
/// a delete that worked with 404 or 412.
/// </summary>
internal static class SqlServerTransientErrors
{
    // First: static initialisers run in order, and the sets below read it.
    private static int WriteLockNotGranted { get; } = int.Parse(ArchiveStoreErrorCodes.WriteLockNotGranted, CultureInfo.InvariantCulture);

    /// <summary>
    /// Deadlock victim (1205), client timeout (-2), connection drops (233, 64, 10053, 10054,
    /// 10060), database not yet available (4060), Azure SQL throttling and failover
    /// (10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920), and the procedures' own
    /// write lock not granted (<see cref="ArchiveStoreErrorCodes.WriteLockNotGranted"/>).
    /// </summary>
    public static FrozenSet<int> Numbers { get; } = FrozenSet.Create(
        1205, -2, 233, 64, 4060, 10053, 10054, 10060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920, WriteLockNotGranted);

    /// <summary>
    /// The errors that prove the transaction was rolled back before anything was committed:
    /// 1205 (the server chose the session as deadlock victim and rolled its transaction back; a
    /// committed transaction holds no locks to deadlock on) and the write lock not granted (the
    /// lock is every write procedure's first statement). Every other error of a running batch is
    /// ambiguous: a timeout (-2) or a dropped connection may arrive after COMMIT.
    /// </summary>
    public static FrozenSet<int> NothingCommittedNumbers { get; } = FrozenSet.Create(1205, WriteLockNotGranted);

    public static bool IsTransientNumber(int number) => Numbers.Contains(number);

    /// <summary>True when any error the server reported is transient, or the attempt timed out, or the connection could not be opened for a transient reason.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ConnectionNotOpenedException notOpened => notOpened.InnerException is { } inner && IsTransient(inner),
        SqlException sql => IsTransient(NumbersOf(sql)),
        TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };

    public static bool IsTransient(IEnumerable<int> errorNumbers) => errorNumbers.Any(IsTransientNumber);

    /// <summary>
    /// True when the failure proves that no statement of the batch was committed: the connection
    /// was never opened (the batch was never sent), or the server reported an error of
    /// <see cref="NothingCommittedNumbers"/>.
    /// </summary>
    public static bool ProvesNothingCommitted(Exception exception) => exception switch
    {
        ConnectionNotOpenedException notOpened => IsTransient(notOpened),
        SqlException sql => NumbersOf(sql).Any(NothingCommittedNumbers.Contains),
        _ => false,
    };

    private static IEnumerable<int> NumbersOf(SqlException sql) =>
        sql.Errors.Cast<SqlError>().Select(error => error.Number).Append(sql.Number);
}

/// <summary>Opening the connection failed: the batch was never sent, so nothing of it can have run.</summary>
internal sealed class ConnectionNotOpenedException : Exception
{
    public ConnectionNotOpenedException(Exception innerException)
        : base("The connection to the archive database could not be opened.", innerException)
    {
    }

    public ConnectionNotOpenedException()
    {
    }

    public ConnectionNotOpenedException(string message)
        : base(message)
    {
    }

    public ConnectionNotOpenedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
