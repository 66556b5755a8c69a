using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>
/// <c>simulate</c>: replays Entra's provisioning cycles against a SCIM endpoint, for sizing and
/// dry runs. Exit code 0 when every answer was the one Entra expects, 1 when any was not,
/// 2 for a usage error.
/// </summary>
internal static class SimulateCommand
{
    public const string Name = "simulate";
    public const int MaxUsers = 1_000_000;
    public const int MaxConcurrency = 256;

    /// <summary>The verb, ready to be added to a root command.</summary>
    public static Command Create()
    {
        var options = new SimulateOptions();
        var command = new Command(Name, "Replay Entra's provisioning cycles against a SCIM endpoint and report latency and errors per operation.")
        {
            options.TenantUrl, options.Token, options.Users, options.Concurrency, options.Cycle, options.Cleanup, options.Json,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(options, parsed, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(SimulateOptions options, ParseResult parsed, CancellationToken cancellationToken)
    {
        var settings = new SimulationSettings(
            parsed.GetRequiredValue(options.TenantUrl),
            parsed.GetRequiredValue(options.Token),
            parsed.GetValue(options.Users),
            parsed.GetValue(options.Concurrency),
            Enum.Parse<SimulatedCycle>(parsed.GetRequiredValue(options.Cycle), ignoreCase: true),
            parsed.GetValue(options.Cleanup));
        var json = parsed.GetValue(options.Json);
        var stdout = parsed.InvocationConfiguration.Output;
        var stderr = parsed.InvocationConfiguration.Error;
        // Live bars and a drawn table only on a real terminal; redirected output stays plain lines.
        var interactive = !json && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

        using var simulator = new ProvisioningSimulator(settings);
        await stderr.WriteLineAsync($"Simulating Entra's '{parsed.GetRequiredValue(options.Cycle)}' cycle for {settings.Users} users with prefix {simulator.Prefix}.");
        var report = await SimulationConsole.RunAsync(simulator, interactive, stderr, cancellationToken);
        if (json)
        {
            await stdout.WriteLineAsync(report.ToJson());
        }
        else if (interactive)
        {
            SimulationConsole.WriteTable(report);
        }
        else
        {
            await SimulationConsole.WritePlainAsync(report, stdout);
        }

        return report.Succeeded ? 0 : 1;
    }

    private static Uri? ParseTenantUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"--url '{text}' is not an absolute http or https URL (the Tenant URL, e.g. https://gateway.example/scim/contoso/v2).");
        return null;
    }

    private static readonly string[] CycleNames = ["initial", "incremental", "leavers", "all"];

    private static void RequireWithin(OptionResult result, int minimum, int maximum)
    {
        if (result.Tokens is not [.., var token] || !int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            // Not a number (the parser says so) or not given (the default applies).
            return;
        }

        if (value < minimum || value > maximum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{result.Option.Name} must be between {minimum} and {maximum}; it was {value}."));
        }
    }

    /// <summary>The verb's options; made anew for every command, so validators are never added twice.</summary>
    private sealed class SimulateOptions
    {
        public SimulateOptions()
        {
            Cycle.CompletionSources.Add(CycleNames);
            Cycle.Validators.Add(result =>
            {
                var value = result.GetValueOrDefault<string>();
                if (!CycleNames.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    result.AddError($"--cycle must be one of {string.Join(", ", CycleNames)}; it was '{value}'.");
                }
            });
            Users.Validators.Add(result => RequireWithin(result, 1, MaxUsers));
            Concurrency.Validators.Add(result => RequireWithin(result, 1, MaxConcurrency));
            Token.Validators.Add(result =>
            {
                if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                {
                    result.AddError("--token must not be empty.");
                }
            });
        }

        public Option<Uri> TenantUrl { get; } = new("--url")
        {
            Description = "The Tenant URL, as entered in Entra (e.g. https://gateway.example/scim/contoso/v2).",
            Required = true,
            CustomParser = ParseTenantUrl,
        };

        public Option<string> Token { get; } = new("--token") { Description = "The Secret Token, as entered in Entra.", Required = true };

        public Option<int> Users { get; } = new("--users") { Description = "How many users the cycles provision.", Required = true };

        public Option<int> Concurrency { get; } = new("--concurrency")
        {
            Description = "Requests in flight at once (and keep-alive connections).",
            DefaultValueFactory = _ => 4,
        };

        public Option<string> Cycle { get; } = new("--cycle")
        {
            HelpName = string.Join('|', CycleNames),
            Description = "initial: Test Connection, query, create. incremental: initial, then query and PATCH changes. "
                + "leavers: initial, then PATCH active \"False\". all: initial, incremental, leavers, then DELETE.",
            DefaultValueFactory = _ => "all",
        };

        public Option<bool> Cleanup { get; } = new("--cleanup") { Description = "Delete every user the run created and did not delete." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the report as JSON on stdout (progress goes to stderr)." };
    }
}
