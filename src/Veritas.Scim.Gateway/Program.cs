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
    var app = ScimGatewayApplication.Build(args);
    await app.RunAsync();
    return GatewayCli.Succeeded;
}
catch (Exception exception) when (ConfigurationProblems.From(exception) is { Count: > 0 } problems)
{
    // Invalid configuration is one line per problem for the operator, never a stack trace.
    await ConfigurationProblems.WriteAsync(problems, Console.Error);
    return GatewayCli.UsageError;
}
