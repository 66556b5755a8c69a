using System.CommandLine;
using Veritas.Scim.Gateway.Doctor;
using Veritas.Scim.Gateway.Storage;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Cli;

/// <summary>
/// What every verb shares: where it writes, and the configuration settings given on its command
/// line (<c>--Section:Key=value</c>), read together with appsettings.json and the environment
/// exactly as the server reads them.
/// </summary>
internal sealed class CliContext(CliConsole console, IReadOnlyList<string> settings)
{
    public CliConsole Console { get; } = console;

    public IReadOnlyList<string> Settings { get; } = settings;

    public static Option<bool> JsonOption() => new("--json") { Description = "Write JSON (for scripts) instead of a table." };

    /// <summary>The configuration the server would run with, from the same sources.</summary>
    public IConfiguration ReadConfiguration() => NewBuilder().Configuration;

    /// <summary>A host with the store registered, built but not started: nothing is created or written.</summary>
    public IHost BuildStoreHost(Action<HostApplicationBuilder>? configure = null)
    {
        var builder = NewBuilder();
        builder.Services.AddScimGatewayOptions();
        builder.Services.AddArchiveStore(builder.Configuration);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>
    /// Runs a verb on the started store (on the embedded store, starting creates the schema).
    /// A refusal of the store is exit code 1 with its message; invalid configuration is exit
    /// code 2 with one line per problem.
    /// </summary>
    public async Task<int> WithStoreAsync(Func<IServiceProvider, CliConsole, Task<int>> verb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verb);
        try
        {
            using var host = BuildStoreHost();
            await host.StartAsync(cancellationToken);
            try
            {
                return await verb(host.Services, Console);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        catch (ArchiveStoreException refused)
        {
            await Console.Error.WriteLineAsync(refused.Message);
            return GatewayCli.Failed;
        }
        catch (Exception exception) when (ConfigurationProblems.From(exception) is { Count: > 0 } problems)
        {
            await ConfigurationProblems.WriteAsync(problems, Console.Error);
            return GatewayCli.UsageError;
        }
    }

    private HostApplicationBuilder NewBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. Settings], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A verb is not a service: no "Application started" chatter around its output.
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        return builder;
    }
}
