using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Cli;

/// <summary><c>tenant add|list</c> and <c>tenant token add|list|revoke</c>.</summary>
internal static partial class TenantCommands
{
    public static Command Create(CliContext context)
    {
        var tenant = new Command("tenant", "Tenants (the {tenant} segment of a Tenant URL) and their secret tokens.");
        tenant.Add(Add(context));
        tenant.Add(List(context));
        var token = new Command("token", "A tenant's secret tokens: several may be live at once, for rotation.");
        token.Add(AddToken(context));
        token.Add(ListTokens(context));
        token.Add(RevokeToken(context));
        tenant.Add(token);
        return tenant;
    }

    /// <summary>The tenant key argument, checked as the URL segment it becomes.</summary>
    public static Argument<string> KeyArgument(string description = "The tenant key, as in https://<gateway>/scim/KEY/v2.")
    {
        var key = new Argument<string>("KEY") { Description = description };
        key.Validators.Add(result => Validate(result.GetValueOrDefault<string>(), result.AddError));
        return key;
    }

    public static void Validate(string? key, Action<string> addError)
    {
        if (!TenantKeyShape().IsMatch(key ?? string.Empty))
        {
            // The key is a segment of the Tenant URL: anything else could never be called.
            addError($"'{key}' cannot be a tenant key: use 1 to 64 letters, digits, '-', '_', '.' or '~', starting with a letter or digit.");
        }
    }

    private static Command Add(CliContext context)
    {
        var key = KeyArgument("The new tenant key, as in https://<gateway>/scim/KEY/v2.");
        var customer = new Option<string>("--customer")
        {
            Description = "The archive customer, by id or by name (created when no customer has the name). Default: the key.",
            HelpName = "NAME-OR-ID",
        };
        customer.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--customer needs a customer name or id.");
            }
        });
        var command = new Command("add", "Map a tenant to a customer and print its first Secret Token (alone on stdout).") { key, customer };
        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            var tenants = services.GetRequiredService<ITenantStore>();
            var created = await tenants.AddTenantAsync(parse.GetRequiredValue(key), parse.GetValue(customer) ?? parse.GetRequiredValue(key), cancellationToken);
            var secret = await AddTokenAsync(tenants, created.TenantKey, cancellationToken);
            await console.Error.WriteLineAsync($"Tenant '{created.TenantKey}' maps to customer {created.CustomerId} ({created.CustomerName}).");
            await console.Error.WriteLineAsync($"Tenant URL: https://<gateway host>/scim/{created.TenantKey}/v2   Secret Token (shown once):");
            await console.Out.WriteLineAsync(secret);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CliContext.JsonOption();
        var command = new Command("list", "List tenants: key, customer id, customer name, created.") { json };
        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            var tenants = await services.GetRequiredService<ITenantStore>().ListTenantsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                await console.WriteJsonAsync(tenants.Select(t => new { tenant = t.TenantKey, t.CustomerId, t.CustomerName, createdUtc = t.CreatedUtc }));
                return 0;
            }

            await console.WriteTableAsync(
                ["Tenant", "Customer id", "Customer", "Created (UTC)"],
                tenants.Select(t => (IReadOnlyList<string>)[t.TenantKey, t.CustomerId.ToString(CultureInfo.InvariantCulture), t.CustomerName, Time(t.CreatedUtc)]));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command AddToken(CliContext context)
    {
        var key = KeyArgument();
        var command = new Command("add", "Print a new Secret Token for the tenant (alone on stdout); the old ones stay live.") { key };
        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            await console.Out.WriteLineAsync(await AddTokenAsync(services.GetRequiredService<ITenantStore>(), parse.GetRequiredValue(key), cancellationToken));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command ListTokens(CliContext context)
    {
        var key = KeyArgument();
        var json = CliContext.JsonOption();
        var command = new Command("list", "List the tenant's tokens: id, state, created, last used (never the token).") { key, json };
        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            var tokens = await services.GetRequiredService<ITenantStore>().ListTokensAsync(parse.GetRequiredValue(key), cancellationToken);
            if (parse.GetValue(json))
            {
                await console.WriteJsonAsync(tokens.Select(t => new { t.TokenId, tenant = t.TenantKey, live = t.RevokedUtc is null, t.CreatedUtc, t.LastUsedUtc, t.RevokedUtc }));
                return 0;
            }

            await console.WriteTableAsync(
                ["Token id", "State", "Created (UTC)", "Last used (UTC)"],
                tokens.Select(t => (IReadOnlyList<string>)
                [
                    t.TokenId.ToString(CultureInfo.InvariantCulture),
                    t.RevokedUtc is { } revoked ? "revoked " + Time(revoked) : "live",
                    Time(t.CreatedUtc),
                    t.LastUsedUtc is { } used ? Time(used) : "never",
                ]));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command RevokeToken(CliContext context)
    {
        var key = KeyArgument();
        var tokenId = new Argument<int>("TOKEN-ID") { Description = "The token's id, as `tenant token list KEY` shows it." };
        var command = new Command("revoke", "Revoke a token at once (within Scim:TokenCacheDuration on running gateways).") { key, tokenId };
        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            var id = parse.GetValue(tokenId);
            await services.GetRequiredService<ITenantStore>().RevokeTokenAsync(parse.GetRequiredValue(key), id, cancellationToken);
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Token {id} of tenant '{parse.GetRequiredValue(key)}' is revoked."));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<string> AddTokenAsync(ITenantStore tenants, string tenantKey, CancellationToken cancellationToken)
    {
        var token = TenantTokens.Generate();
        await tenants.AddTokenAsync(tenantKey, TenantTokens.Hash(token), cancellationToken);
        return token;
    }

    public static string Time(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantKeyShape();
}
