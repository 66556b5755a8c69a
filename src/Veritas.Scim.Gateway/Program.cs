using Veritas.Scim.Gateway.Cli;
using Veritas.Scim.Gateway.Doctor;
using Veritas.Scim.Gateway.Hosting;

// `tenant …`, `db …`, `audit`, `doctor` are administration verbs on the same configuration and store as the server.
if (GatewayCli.IsCommand(args))
{
    return await GatewayCli.RunAsync(args);
}

try
{
    // The host's own "Hosting failed to start" entry would repeat a configuration error as a stack trace.
    var app = ScimGatewayApplication.Build(args, builder => builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
    await app.RunAsync();
    return GatewayCli.Succeeded;
}
catch (Exception exception) when (ConfigurationProblems.From(exception) is { Count: > 0 } first)
{
    // Invalid configuration is one line per problem for the operator, never a stack trace; the
    // start stopped at the first problem, so the configuration is checked again for all of them.
    var (checkedApp, all) = ConfigurationProblems.BuildServer(args);
    if (checkedApp is not null)
    {
        await checkedApp.DisposeAsync();
    }

    await ConfigurationProblems.WriteAsync([.. first.Union(all)], Console.Error);
    return GatewayCli.UsageError;
}
