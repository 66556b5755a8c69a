using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>
/// Ready when scim.usp_Health_Check answers: the server is up, the adapter's schema is deployed
/// and every table the store uses answers for the gateway's own (least-privilege) login. Runs
/// through the store's pipeline, so an open circuit breaker reports not ready at once instead of
/// piling probes on a failing server.
/// </summary>
internal sealed class SqlServerArchiveHealthProbe(SqlServerCommandRunner runner) : IArchiveHealthProbe
{
    /// <summary>Could not find stored procedure.</summary>
    private const int ProcedureMissing = 2812;

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var rows = await runner.QueryAsync<HealthCheckCall, HealthRow>(new HealthCheckCall(), cancellationToken);
            return rows switch
            {
                [{ Ready: true }] => null,
                [{ NotReadyBecause: { } reason }] => reason,
                _ => "scim.usp_Health_Check did not answer ready.",
            };
        }
        catch (Microsoft.Data.SqlClient.SqlException exception) when (exception.Number == ProcedureMissing)
        {
            return "The scim schema is not deployed (run `db deploy`).";
        }
        catch (Microsoft.Data.SqlClient.SqlException exception)
        {
            // The number only (e.g. 208 a table is missing, 229 a right is missing): the message may name objects.
            return $"The archive tables do not answer for this login (SQL error {exception.Number}).";
        }
    }
}
