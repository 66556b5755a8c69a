using System.Data;
using Dapper;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>
/// Ready when the server answers and the adapter's schema is deployed (its write procedure and
/// the legacy account table exist). Runs through the store's pipeline, so an open circuit breaker
/// reports not ready at once instead of piling probes on a failing server.
/// </summary>
internal sealed class SqlServerArchiveHealthProbe(SqlServerCommandRunner runner) : IArchiveHealthProbe
{
    public const string OperationName = "health_probe";

    private const string Probe =
        "SELECT CASE WHEN OBJECT_ID(N'scim.usp_User_Create', N'P') IS NOT NULL AND OBJECT_ID(N'dbo.ArchiveAccount', N'U') IS NOT NULL THEN 1 ELSE 0 END;";

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var deployed = await runner.RunAsync(
            OperationName,
            (connection, token) => connection.ExecuteScalarAsync<int>(new CommandDefinition(Probe, commandType: CommandType.Text, cancellationToken: token)),
            cancellationToken);
        return deployed == 1 ? null : "The scim schema is not deployed (run `db deploy`).";
    }
}
