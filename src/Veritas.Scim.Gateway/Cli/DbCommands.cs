using System.CommandLine;
using Veritas.Scim.Archive.SqlServer;
using Veritas.Scim.Gateway.Storage;

namespace Veritas.Scim.Gateway.Cli;

/// <summary><c>db deploy</c> and <c>db check</c>: the adapter schema on SQL Server and the archive it relies on.</summary>
internal static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var db = new Command("db", "The archive database on SQL Server.");
        db.Add(Deploy(context));
        db.Add(Check(context));
        return db;
    }

    private static Option<string> ConnectionOption() => new("--connection")
    {
        Description = $"The SQL Server connection string. Default: ConnectionStrings:{ArchiveStoreRegistration.ConnectionStringName} from the configuration.",
        HelpName = "CONNECTION",
    };

    private static string? ConnectionString(CliContext context, ParseResult parse, Option<string> connection)
    {
        var connectionString = parse.GetValue(connection);
        return string.IsNullOrWhiteSpace(connectionString)
            ? context.ReadConfiguration().GetConnectionString(ArchiveStoreRegistration.ConnectionStringName)
            : connectionString;
    }

    private static async Task<int> MissingConnectionAsync(CliContext context, string usage)
    {
        await context.Console.Error.WriteLineAsync($"{usage.Split(" --", 2)[0]} needs --connection or ConnectionStrings:{ArchiveStoreRegistration.ConnectionStringName}.");
        await context.Console.Error.WriteLineAsync("Usage: " + usage);
        return GatewayCli.UsageError;
    }

    private static Command Deploy(CliContext context)
    {
        var connection = ConnectionOption();
        var withLegacy = new Option<bool>("--with-legacy") { Description = "Also create the database and the legacy development tables and seed (never on a real archive)." };
        var command = new Command("deploy", "Deploy (or bring up to date) the scim schema: tables once, procedures and views every time. Progress on stderr.") { connection, withLegacy };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connectionString = ConnectionString(context, parse, connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return await MissingConnectionAsync(context, "db deploy --connection CONNECTION [--with-legacy]");
            }

            var result = await SqlServerSchemaDeployer.DeployAsync(connectionString, parse.GetValue(withLegacy), context.Console.Error, cancellationToken);
            return result.Successful ? GatewayCli.Succeeded : GatewayCli.Failed;
        });
        return command;
    }

    /// <summary>Read-only: exit 0 when the archive passes (warnings allowed), 1 when the report has errors.</summary>
    private static Command Check(CliContext context)
    {
        var connection = ConnectionOption();
        var command = new Command("check", "Read-only: compare the archive's tables, indexes and settings with what the scim procedures rely on, and say how to fix each mismatch.") { connection };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connectionString = ConnectionString(context, parse, connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return await MissingConnectionAsync(context, "db check --connection CONNECTION");
            }

            var report = await ArchiveSchemaInspector.InspectAsync(connectionString, requireModules: true, cancellationToken);
            await context.Console.Out.WriteLineAsync(report.ToString());
            return report.IsAcceptable ? GatewayCli.Succeeded : GatewayCli.Failed;
        });
        return command;
    }
}
