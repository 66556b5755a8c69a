using System.Globalization;
using System.Text.RegularExpressions;
using Veritas.Scim.Archive.SqlServer;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Cli.Simulation;
using Veritas.Scim.Gateway.Storage;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Cli;

/// <summary>
/// Administration verbs of the gateway executable, on the same configuration and store as the
/// server. Scriptable: no prompts; a new token alone on stdout, everything else on stderr; exit
/// code 0 on success, 1 when the store refuses, 2 for a usage error.
/// </summary>
public static partial class GatewayCli
{
    private const string Usage = """
        Usage:
          tenant add KEY [--customer NAME-OR-ID]   map a tenant to a customer and print its first token
          tenant list                              list tenants
          tenant token add KEY                     print a new token for the tenant (rotation)
          tenant token list KEY                    list the tenant's tokens (ids and times, never the token)
          tenant token revoke KEY TOKEN-ID         revoke a token at once
          db deploy --connection CONNECTION [--with-legacy]
                                                   deploy the scim schema to SQL Server (and the legacy
                                                   development tables and seed with --with-legacy)
          simulate --url TENANT_URL --token TOKEN --users N [--concurrency C] [--cycle initial|incremental|leavers|all] [--cleanup] [--json]
                                                   replay Entra's provisioning cycles against a SCIM endpoint
          db check --connection CONNECTION         read-only: compare the archive's tables, indexes and
                                                   settings with what the scim procedures rely on
        Configuration options (--Scim:Store=SqlServer, --ConnectionStrings:Archive=…) may follow.
        """;

    public static bool IsCommand(string[] args) => args is ["tenant", ..] or ["db", ..] or ["help" or "--help"] or [SimulateCommand.Name, ..];

    public static async Task<int> RunAsync(string[] args) => await RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args is [SimulateCommand.Name, ..])
        {
            return await SimulateCommand.InvokeAsync(args, stdout, stderr, cancellationToken);
        }

        var (words, settings) = Split(args);
        try
        {
            switch (words)
            {
                case ["db", "deploy", .. var deployArgs]:
                    return await DeployAsync(deployArgs, stderr, cancellationToken);
                case ["db", "check", .. var checkArgs]:
                    return await CheckAsync(checkArgs, stdout, cancellationToken);
                case ["tenant", ..]:
                    return await WithTenantStoreAsync(settings, tenants => TenantAsync(words[1..], tenants, stdout, stderr, cancellationToken), cancellationToken);
                default:
                    await stderr.WriteLineAsync(Usage);
                    return words is ["help" or "--help"] ? 0 : 2;
            }
        }
        catch (UsageException usage)
        {
            await stderr.WriteLineAsync(usage.Message);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        catch (ArchiveStoreException refused)
        {
            await stderr.WriteLineAsync(refused.Message);
            return 1;
        }
    }

    private static async Task<int> TenantAsync(string[] words, ITenantStore tenants, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (words.Any(string.IsNullOrWhiteSpace))
        {
            throw new UsageException("An argument is empty.");
        }

        switch (words)
        {
            case ["add", var key, .. var rest]:
                {
                    if (!TenantKeyShape().IsMatch(key))
                    {
                        // The key is a segment of the Tenant URL: anything else could never be called.
                        throw new UsageException($"'{key}' cannot be a tenant key: use 1 to 64 letters, digits, '-', '_', '.' or '~', starting with a letter or digit.");
                    }

                    var customer = Option(rest, "--customer") ?? key;
                    var tenant = await tenants.AddTenantAsync(key, customer, cancellationToken);
                    var token = await AddTokenAsync(tenants, tenant.TenantKey, cancellationToken);
                    await stderr.WriteLineAsync($"Tenant '{tenant.TenantKey}' maps to customer {tenant.CustomerId} ({tenant.CustomerName}).");
                    await stderr.WriteLineAsync($"Tenant URL: https://<gateway host>/scim/{tenant.TenantKey}/v2   Secret Token (shown once):");
                    await stdout.WriteLineAsync(token);
                    return 0;
                }

            case ["list"]:
                foreach (var tenant in await tenants.ListTenantsAsync(cancellationToken))
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{tenant.TenantKey}\t{tenant.CustomerId}\t{tenant.CustomerName}\t{tenant.CreatedUtc:O}"));
                }

                return 0;
            case ["token", "add", var key]:
                await stdout.WriteLineAsync(await AddTokenAsync(tenants, key, cancellationToken));
                return 0;
            case ["token", "list", var key]:
                foreach (var token in await tenants.ListTokensAsync(key, cancellationToken))
                {
                    var state = token.RevokedUtc is { } revoked ? string.Create(CultureInfo.InvariantCulture, $"revoked {revoked:O}") : "live";
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{token.TokenId}\t{state}\tcreated {token.CreatedUtc:O}\tlast used {token.LastUsedUtc?.ToString("O", CultureInfo.InvariantCulture) ?? "never"}"));
                }

                return 0;
            case ["token", "revoke", var key, var tokenId]:
                await tenants.RevokeTokenAsync(key, int.TryParse(tokenId, CultureInfo.InvariantCulture, out var id) ? id : throw new UsageException($"'{tokenId}' is not a token id."), cancellationToken);
                await stderr.WriteLineAsync($"Token {id} of tenant '{key}' is revoked.");
                return 0;
            default:
                throw new UsageException("Unknown tenant command.");
        }
    }

    private static async Task<string> AddTokenAsync(ITenantStore tenants, string tenantKey, CancellationToken cancellationToken)
    {
        var token = TenantTokens.Generate();
        await tenants.AddTokenAsync(tenantKey, TenantTokens.Hash(token), cancellationToken);
        return token;
    }

    private static async Task<int> DeployAsync(string[] words, TextWriter stderr, CancellationToken cancellationToken)
    {
        var connection = Option(words, "--connection") ?? throw new UsageException("db deploy needs --connection.");
        var result = await SqlServerSchemaDeployer.DeployAsync(connection, words.Contains("--with-legacy"), stderr, cancellationToken);
        return result.Successful ? 0 : 1;
    }

    /// <summary>Exit 0 when the archive passes (warnings allowed), 1 when the report has errors.</summary>
    private static async Task<int> CheckAsync(string[] words, TextWriter stdout, CancellationToken cancellationToken)
    {
        var connection = Option(words, "--connection") ?? throw new UsageException("db check needs --connection.");
        var report = await ArchiveSchemaInspector.InspectAsync(connection, requireModules: true, cancellationToken);
        await stdout.WriteLineAsync(report.ToString());
        return report.IsAcceptable ? 0 : 1;
    }

    private static async Task<int> WithTenantStoreAsync(string[] settings, Func<ITenantStore, Task<int>> command, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A verb is not a service: no "Application started" chatter around its one line of output.
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddScimGatewayOptions();
        builder.Services.AddArchiveStore(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            return await command(host.Services.GetRequiredService<ITenantStore>());
        }
        finally
        {
            await host.StopAsync(cancellationToken);
        }
    }

    /// <summary>Verbs and their arguments first; configuration overrides (--Section:Key=value) after.</summary>
    private static (string[] Words, string[] Settings) Split(string[] args)
    {
        var isSetting = (string a) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal);
        return ([.. args.Where(a => !isSetting(a))], [.. args.Where(isSetting)]);
    }

    private static string? Option(string[] words, string name)
    {
        var index = Array.IndexOf(words, name);
        return index >= 0 && index + 1 < words.Length ? words[index + 1] : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantKeyShape();

    private sealed class UsageException(string message) : Exception(message);
}
