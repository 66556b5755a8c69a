using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Cli;

/// <summary>
/// <c>audit</c>: what changed, when, by which request. Newest first, one page at a time; the
/// correlation id is the W3C trace id of the request, so a row leads to its trace.
/// </summary>
internal static class AuditCommand
{
    public const int DefaultLimit = 50;

    public static Command Create(CliContext context)
    {
        var tenant = new Option<string>("--tenant") { Description = "Whose audit trail (the tenant key).", Required = true, HelpName = "KEY" };
        tenant.Validators.Add(result => TenantCommands.Validate(result.GetValueOrDefault<string>(), result.AddError));
        var user = new Option<string>("--user")
        {
            Description = "Only this user's rows: its SCIM id, or the userName it had when the row was written (so deleted and renamed accounts are found too).",
            HelpName = "ID-OR-USERNAME",
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only rows at or after this time: an ISO 8601 time (2026-12-01T09:00Z) or an age (30m, 12h, 7d).",
            HelpName = "TIME",
            CustomParser = ParseSince,
        };
        var operation = new Option<string>("--operation") { Description = "Only rows of this operation.", HelpName = "OPERATION" };
        operation.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. AuditOperations.All]);
        var limit = new Option<int>("--limit") { Description = $"Rows per page (1 to {AuditQuery.MaxLimit}).", DefaultValueFactory = _ => DefaultLimit, HelpName = "N" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > AuditQuery.MaxLimit)
            {
                result.AddError($"--limit must be from 1 to {AuditQuery.MaxLimit}.");
            }
        });
        var continuation = new Option<long?>("--continue") { Description = "The next page: the continuation the previous page printed.", HelpName = "CONTINUATION" };
        var json = CliContext.JsonOption();
        var command = new Command("audit", "Read a tenant's audit trail, newest first: time, operation, SCIM id, outcome, correlation (trace) id, userName.")
        {
            tenant, user, since, operation, limit, continuation, json,
        };

        command.SetAction((parse, cancellationToken) => context.WithStoreAsync(async (services, console) =>
        {
            var tenantKey = parse.GetRequiredValue(tenant);
            var known = (await services.GetRequiredService<ITenantStore>().ListTenantsAsync(cancellationToken)).FirstOrDefault(t => t.TenantKey == tenantKey);
            if (known is null)
            {
                await console.Error.WriteLineAsync($"There is no tenant '{tenantKey}' (see `tenant list`).");
                return GatewayCli.Failed;
            }

            // Not resolved through the current accounts: a deleted account has none, and its rows keep the name it had.
            var who = parse.GetValue(user) is { Length: > 0 } given ? given : null;
            var chosen = parse.GetValue(operation);
            var query = new AuditQuery(
                tenantKey,
                who,
                parse.GetValue(since),
                chosen is null ? null : AuditOperations.All.First(name => string.Equals(name, chosen, StringComparison.OrdinalIgnoreCase)),
                parse.GetValue(continuation),
                parse.GetValue(limit)) { UserName = who };
            var page = await console.WithStatusAsync("Reading the audit trail…", () => services.GetRequiredService<IAuditTrailStore>().ReadAsync(query, cancellationToken));
            await WriteAsync(console, page, parse.GetValue(json));
            if (page.Continuation is { } next && !parse.GetValue(json))
            {
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"More rows: repeat with --continue {next}"));
            }

            return GatewayCli.Succeeded;
        }, cancellationToken));
        return command;
    }

    private static async Task WriteAsync(CliConsole console, AuditPage page, bool json)
    {
        if (json)
        {
            await console.WriteJsonAsync(new
            {
                entries = page.Entries.Select(e => new { tenant = e.TenantKey, time = e.OccurredUtc, operation = e.Operation, scimId = e.ScimId, outcome = e.Outcome, correlationId = e.CorrelationId, userName = e.UserName }),
                continuation = page.Continuation,
            });
            return;
        }

        await console.WriteTableAsync(
            ["Tenant", "Time (UTC)", "Operation", "SCIM id", "Outcome", "Correlation (trace) id", "userName"],
            page.Entries.Select(e => (IReadOnlyList<string>)[e.TenantKey, TenantCommands.Time(e.OccurredUtc), e.Operation, e.ScimId ?? "-", e.Outcome, e.CorrelationId ?? "-", e.UserName ?? "-"]));
    }

    /// <summary>An ISO 8601 time (UTC when it names no offset) or an age before now: 90s, 30m, 12h, 7d.</summary>
    internal static DateTimeOffset? ParseSince(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (text.Length > 1 && char.IsAsciiDigit(text[0]) && "smhd".Contains(text[^1], StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var unit = text[^1] switch { 's' => TimeSpan.FromSeconds(1), 'm' => TimeSpan.FromMinutes(1), 'h' => TimeSpan.FromHours(1), _ => TimeSpan.FromDays(1) };
            if (amount <= 36_500 * (TimeSpan.FromDays(1) / unit))
            {
                return DateTimeOffset.UtcNow - (unit * amount);
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        result.AddError($"--since '{text}' is neither an ISO 8601 time (2026-12-01T09:00Z) nor an age (30m, 12h, 7d).");
        return null;
    }
}
