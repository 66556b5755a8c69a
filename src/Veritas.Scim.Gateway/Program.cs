using Veritas.Scim.Gateway.Cli;
using Veritas.Scim.Gateway.Hosting;

// `tenant …` and `db …` are administration verbs on the same configuration and store as the server.
if (GatewayCli.IsCommand(args))
{
    return await GatewayCli.RunAsync(args);
}

var app = ScimGatewayApplication.Build(args);
await app.RunAsync();
return 0;
