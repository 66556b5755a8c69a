using System.CommandLine;
using Veritas.Scim.Gateway.Doctor;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Cli;

/// <summary><c>doctor</c>: is this deployment right? A table of pass/warn/fail with the fix for each; exit 0 only when nothing fails.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliContext.JsonOption();
        var command = new Command("doctor", "Check configuration, store, schema, rights, tenants, routes, public URL/TLS and the telemetry exporter; exit 0 only when nothing fails.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var findings = await context.Console.WithStatusAsync("Checking the deployment…", () => DiagnoseAsync(context, cancellationToken));
            if (parse.GetValue(json))
            {
                await context.Console.WriteJsonAsync(findings.Select(f => new { status = f.Status, check = f.Check, detail = f.Detail, fix = f.Fix }));
            }
            else
            {
                await context.Console.WriteTableAsync(
                    ["Status", "Check", "Detail", "Fix"],
                    findings.Select(f => (IReadOnlyList<string>)[f.Status.ToString().ToLowerInvariant(), f.Check, f.Detail, f.Fix ?? string.Empty]),
                    row => row[0] switch { "fail" => "red", "warn" => "yellow", _ => "green" });
            }

            return findings.Any(f => f.Status == FindingStatus.Fail) ? GatewayCli.Failed : GatewayCli.Succeeded;
        });
        return command;
    }

    private static async Task<IReadOnlyList<Finding>> DiagnoseAsync(CliContext context, CancellationToken cancellationToken)
    {
        const string Check = "configuration valid";
        // The server's own composition, built but never started: the same options, store and routes it would run with.
        var (host, problems) = ConfigurationProblems.BuildServer(context.Settings);
        if (host is null || problems.Count > 0)
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            return [.. problems.Select(problem => new Finding(Check, FindingStatus.Fail, problem, "Correct the setting (appsettings.json, environment or --Section:Key=value)."))];
        }

        await using (host)
        {
            using var http = new SocketsHttpHandler { AllowAutoRedirect = false };
            var doctor = new DeploymentDoctor(host.Services, host.Services.GetRequiredService<IConfiguration>(), http);
            var findings = new List<Finding> { new(Check, FindingStatus.Pass, "Every option is valid.") };
            findings.AddRange(await doctor.CheckStoreAndTenantsAsync(cancellationToken));
            findings.AddRange(await doctor.CheckRoutesAsync(cancellationToken));
            findings.Add(await doctor.CheckPublicUrlAsync(cancellationToken));
            findings.Add(await doctor.CheckTelemetryExporterAsync(cancellationToken));
            return findings;
        }
    }
}
