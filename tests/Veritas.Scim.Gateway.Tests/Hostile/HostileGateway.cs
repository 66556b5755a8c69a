using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>One hostile request and what it is allowed to get besides a SCIM answer.</summary>
/// <param name="Class">The class of input it belongs to (counted per class).</param>
/// <param name="MayGoUnanswered">The gateway may close without answering (a body it cannot read).</param>
/// <param name="MayBeRefusedByKestrel">Malformed HTTP that Kestrel refuses before the gateway sees it (400 without a SCIM body).</param>
/// <param name="MayLeaveScim">The target, once normalised, may be outside the SCIM base (a plain 404 from the route table).</param>
public sealed record HostileCase(string Class, RawRequest Request, bool MayGoUnanswered = false, bool MayBeRefusedByKestrel = false, bool MayLeaveScim = false);

/// <summary>
/// The real gateway on loopback with two tenants: "alpha", which every hostile request targets,
/// and "beta", whose data must never appear in an answer to alpha and which must never change.
/// Limits are raised so that the run measures the gateway, not the rate limiter.
/// </summary>
public sealed class HostileGateway() : GatewayHost(createDemoTenant: false)
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";
    public const string BetaMarker = "BetaOnlyMarker";
    public const int MaxBodyBytes = 1024 * 1024;

    public string TokenAlpha { get; private set; } = null!;

    public string TokenBeta { get; private set; } = null!;

    public List<string> AlphaIds { get; } = [];

    public List<string> BetaIds { get; } = [];

    public List<string> BetaSecrets { get; } = [];

    private string? _betaBaseline;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Scim:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture);
        settings["Scim:RateLimit:TokensPerSecond"] = "100000";
        settings["Scim:RateLimit:BurstSize"] = "1000000";
        settings["Scim:FailedAuthentication:PermitLimit"] = "1000000";
        // Nothing is forwarded: a target that leaves the SCIM base is a plain 404, not a 502 from a missing archive.
        settings["ReverseProxy:Routes:legacy-archive:Match:Path"] = "/legacy-only/{**rest}";
    }

    protected override async Task OnStartedAsync()
    {
        TokenAlpha = await AddTenantAsync(Alpha, "Hostile Alpha");
        TokenBeta = await AddTenantAsync(Beta, "Hostile Beta");
        for (var i = 0; i < 5; i++)
        {
            var user = await CreateUserAsync(Alpha, TokenAlpha, EntraRequests.CreateUser(
                $"alpha{i}@alpha.example.com",
                externalId: $"alpha-ext-{i}",
                workEmail: $"alpha{i}@alpha.example.com",
                aliasesJson: $"\"SMTP:alpha{i}@alpha.example.com,smtp:a{i}@alpha.example.com,x500:/o=Alpha/cn=a{i}\""));
            AlphaIds.Add((string)user["id"]!);
        }

        for (var i = 0; i < 3; i++)
        {
            var userName = $"{BetaMarker}{i}@beta.example.com";
            var user = await CreateUserAsync(Beta, TokenBeta, EntraRequests.CreateUser(userName, externalId: $"{BetaMarker}-ext-{i}", workEmail: userName));
            BetaIds.Add((string)user["id"]!);
            BetaSecrets.Add(userName);
        }

        BetaSecrets.Add(BetaMarker);
        _betaBaseline = await SnapshotAsync(Beta);
    }

    /// <summary>The tenant's live accounts as the store holds them, with versions: any write shows.</summary>
    public async Task<string> SnapshotAsync(string tenant)
    {
        var store = Services.GetRequiredService<IArchiveAccountStore>();
        var page = await store.QueryAsync(await CustomerIdAsync(tenant), new AccountQuery(null, null, false, 1, 100_000), CancellationToken.None);
        return string.Join("\n", page.Accounts.OrderBy(a => a.VaultEntryId, StringComparer.Ordinal).Select(a =>
            $"{a.VaultEntryId}|{a.Version}|{a.Status}|{a.UserName}|{a.PrimarySmtpAddress}|{string.Join(",", a.Aliases)}|{a.ScimAttributesJson}"));
    }

    public async Task AssertBetaUntouchedAsync() =>
        Assert.True(await SnapshotAsync(Beta) == _betaBaseline, "Tenant beta's accounts changed during a run that only ever spoke to alpha.");

    /// <summary>
    /// Sends one case and checks every invariant: no 5xx; every 4xx a SCIM error as
    /// application/scim+json; nothing written by a refused request; no data of beta; no token anywhere.
    /// </summary>
    /// <returns>The answer (null: none) and the first invariant it breaks (null: none).</returns>
    public async Task<(RawResponse? Response, string? Violation)> CheckAsync(HostileCase hostile, string context)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        RawResponse? response = null;
        try
        {
            response = await SendCheckedAsync(hostile, context, r => response = r);
            return (response, null);
        }
        catch (Xunit.Sdk.XunitException violation)
        {
            return (response, violation.Message);
        }
    }

    private async Task<RawResponse?> SendCheckedAsync(HostileCase hostile, string context, Action<RawResponse?> received)
    {
        var request = hostile.Request;
        var writes = request.Method is not ("GET" or "HEAD");
        var before = writes ? await SnapshotAsync(Alpha) : null;
        RawResponse? response;
        try
        {
            response = await RawHttp.SendAsync(Address, request, TestContext.Current.CancellationToken);
            received(response);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new Xunit.Sdk.XunitException($"[{hostile.Class}] unreadable answer ({ex.Message}) to {request.Describe()} {context}");
        }

        string Fail(string why) => $"[{hostile.Class}] {why}: {request.Describe()} -> {response?.Status} {response?.AllHeaderText} {response?.BodyText} {context}";

        if (response is null)
        {
            Assert.True(hostile.MayGoUnanswered, Fail("no answer"));
            return null;
        }

        Assert.True(response.Status < 500, Fail("server error"));
        if (response.Status >= 400)
        {
            // Kestrel's own refusals come before any route and carry no body: always for its size
            // limits (request line, headers), for malformed HTTP only where the case sends some.
            var bare = response.Body.Length == 0 && response.Header("content-type") is null;
            var kestrel = bare && (response.Status is 414 or 431 || hostile.MayBeRefusedByKestrel);
            var outside = hostile.MayLeaveScim && response.Status == 404 && response.Body.Length == 0;
            if (!kestrel && !outside)
            {
                AssertScimError(response, Fail);
            }
        }

        var everything = response.AllHeaderText + "\n" + response.BodyText;
        foreach (var token in Tokens(request))
        {
            Assert.False(everything.Contains(token, StringComparison.Ordinal), Fail("a token is in the answer"));
        }

        // An error may name what the caller itself sent (a beta id in alpha's URL); nothing else of beta's.
        var sent = request.Target + "\n" + (request.Body is null ? string.Empty : Encoding.UTF8.GetString(request.Body));
        foreach (var secret in BetaSecrets.Concat(BetaIds).Where(s => !sent.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            Assert.False(everything.Contains(secret, StringComparison.OrdinalIgnoreCase), Fail($"tenant beta's '{secret}' is in the answer"));
        }

        if (writes && response.Status >= 400)
        {
            var after = await SnapshotAsync(Alpha);
            Assert.True(before == after, Fail("a refused request changed alpha's accounts"));
        }

        return response;
    }

    private IEnumerable<string> Tokens(RawRequest request)
    {
        yield return TokenAlpha;
        yield return TokenBeta;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && value.Length > 20)
            {
                yield return value[(value.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
    }

    private static void AssertScimError(RawResponse response, Func<string, string> fail)
    {
        var contentType = response.Header("content-type") ?? string.Empty;
        Assert.True(contentType.StartsWith(ScimMediaType, StringComparison.OrdinalIgnoreCase), fail("4xx not as application/scim+json"));
        JsonObject? error = null;
        try
        {
            error = JsonNode.Parse(response.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        Assert.True(error is not null, fail("4xx body is not JSON"));
        Assert.True(error!["schemas"] is JsonArray schemas && schemas.Any(s => (string?)s == ErrorSchema), fail("4xx without the SCIM error schema"));
        Assert.True((string?)error["status"] == response.Status.ToString(CultureInfo.InvariantCulture), fail("4xx whose status is not the HTTP status as a string"));
    }

    /// <summary>A request to alpha's SCIM base with alpha's token, a JSON body and the usual headers.</summary>
    public RawRequest AlphaRequest(string method, string relative, string? body = null, string contentType = ScimMediaType, IEnumerable<(string, string)>? extraHeaders = null, string? token = null) =>
        AlphaBytes(method, relative, body is null ? null : Encoding.UTF8.GetBytes(body), contentType, extraHeaders, token);

    public RawRequest AlphaBytes(string method, string relative, byte[]? body, string contentType = ScimMediaType, IEnumerable<(string, string)>? extraHeaders = null, string? token = null)
    {
        var headers = new List<(string, string)> { ("Authorization", "Bearer " + (token ?? TokenAlpha)) };
        if (body is not null)
        {
            headers.Add(("Content-Type", contentType));
        }

        headers.AddRange(extraHeaders ?? []);
        return new RawRequest(method, $"/scim/{Alpha}/v2/{relative.TrimStart('/')}", headers, body);
    }
}
