using System.Collections.Frozen;
using Microsoft.Data.SqlClient;
using Polly.Timeout;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>Which failures are worth another attempt: every procedure is atomic, so a retry after a rollback is safe.</summary>
internal static class SqlServerTransientErrors
{
    /// <summary>
    /// Deadlock victim (1205), client timeout (-2), connection drops (233, 64, 10053, 10054,
    /// 10060), database not yet available (4060), Azure SQL throttling and failover
    /// (10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920).
    /// </summary>
    public static FrozenSet<int> Numbers { get; } = FrozenSet.Create(
        1205, -2, 233, 64, 4060, 10053, 10054, 10060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920);

    public static bool IsTransientNumber(int number) => Numbers.Contains(number);

    /// <summary>True when any error the server reported is transient, or the attempt timed out.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SqlException sql => IsTransient(sql.Errors.Cast<SqlError>().Select(error => error.Number).Append(sql.Number)),
        TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };

    public static bool IsTransient(IEnumerable<int> errorNumbers) => errorNumbers.Any(IsTransientNumber);
}
