using System.CommandLine;
using Veritas.Scim.Archive.SqlServer;
using Veritas.Scim.Gateway.Storage;

namespace Veritas.Scim.Gateway.Cli;

/// <summary><c>db deploy</c>: the adapter schema on SQL Server.</summary>
internal static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var db = new Command("db", "The archive database on SQL Server.");
        db.Add(Deploy(context));
        return db;
    }

    private static Command Deploy(CliContext context)
    {
        var connection = new Option<string>("--connection")
        {
            Description = $"The SQL Server connection string. Default: ConnectionStrings:{ArchiveStoreRegistration.ConnectionStringName} from the configuration.",
            HelpName = "CONNECTION",
        };
        var withLegacy = new Option<bool>("--with-legacy") { Description = "Also create the database and the legacy development tables and seed (never on a real archive)." };
        var command = new Command("deploy", "Deploy (or bring up to date) the scim schema: tables once, procedures and views every time. Progress on stderr.") { connection, withLegacy };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connectionString = parse.GetValue(connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                connectionString = context.ReadConfiguration().GetConnectionString(ArchiveStoreRegistration.ConnectionStringName);
            }

            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await context.Console.Error.WriteLineAsync($"db deploy needs --connection or ConnectionStrings:{ArchiveStoreRegistration.ConnectionStringName}.");
                await context.Console.Error.WriteLineAsync("Usage: db deploy --connection CONNECTION [--with-legacy]");
                return GatewayCli.UsageError;
            }

            var result = await SqlServerSchemaDeployer.DeployAsync(connectionString, parse.GetValue(withLegacy), context.Console.Error, cancellationToken);
            return result.Successful ? GatewayCli.Succeeded : GatewayCli.Failed;
        });
        return command;
    }
}
