using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Authentication;

/// <summary>
/// Per-tenant bearer tokens (DESIGN.md §7). A token is valid only on its own tenant's URL; a
/// missing, unknown, revoked or other tenant's token, and an unknown tenant, all get the same 401,
/// so that the answer never tells whether a tenant exists. A client address that has failed too
/// often gets 429 without its token being looked up (<see cref="FailedAuthenticationLimiter"/>).
/// </summary>
internal sealed class ScimBearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantTokenResolver resolver,
    FailedAuthenticationLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScimBearer";
    public const string TenantClaim = "scim:tenant";
    public const string CustomerClaim = "scim:customer";
    public const string TokenClaim = "scim:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.GetRouteValue("tenant") is not string tenantKey)
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.NoResult();
        }

        var address = FailedAuthenticationLimiter.AddressOf(Context);
        if (failures.IsBlocked(address, out var retryAfter))
        {
            Context.Features.Set(new AuthenticationThrottled(retryAfter));
            return AuthenticateResult.Fail("Too many failed authentication attempts from this address.");
        }

        var access = await resolver.ResolveAsync(header[7..].Trim(), Context.RequestAborted);
        if (access is null || !SameTenant(access.TenantKey, tenantKey))
        {
            failures.RecordFailure(address);
            return AuthenticateResult.Fail("The bearer token is not valid for this tenant.");
        }

        return AuthenticateResult.Success(s_tickets.GetValue(access, NewTicket));
    }

    /// <summary>
    /// One ticket per resolved token, for as long as the resolver caches the token's access: a
    /// ticket is never changed once made, and Entra's steady traffic need not make its claims again.
    /// </summary>
    private static readonly ConditionalWeakTable<TenantAccess, AuthenticationTicket> s_tickets = [];

    private static AuthenticationTicket NewTicket(TenantAccess access)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(TenantClaim, access.TenantKey),
                new Claim(CustomerClaim, access.CustomerId.ToString(CultureInfo.InvariantCulture)),
                new Claim(TokenClaim, access.TokenId.ToString(CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<AuthenticationThrottled>() is { } throttled)
        {
            GatewayLog.FailedAuthenticationThrottled(Logger);
            return ScimResultWriter.WriteAsync(Context, ScimErrors.FailedAuthenticationRateLimited(throttled.RetryAfter));
        }

        return ScimResultWriter.WriteAsync(Context, ScimErrors.Unauthorized());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScimResultWriter.WriteAsync(Context, ScimErrors.Forbidden());

    private static bool SameTenant(string tokenTenant, string routeTenant) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(tokenTenant), Encoding.UTF8.GetBytes(routeTenant));
}

/// <summary>Set on a request refused because its address failed authentication too often.</summary>
internal sealed record AuthenticationThrottled(TimeSpan RetryAfter);

internal static class TenantAccessClaims
{
    public static bool IsPresent(ClaimsPrincipal user) =>
        user.FindFirst(ScimBearerAuthenticationHandler.TenantClaim) is not null
        && user.FindFirst(ScimBearerAuthenticationHandler.CustomerClaim) is not null;

    public static (string TenantKey, int CustomerId) Read(ClaimsPrincipal user)
    {
        var tenant = user.FindFirstValue(ScimBearerAuthenticationHandler.TenantClaim);
        var customer = user.FindFirstValue(ScimBearerAuthenticationHandler.CustomerClaim);
        if (tenant is null || customer is null)
        {
            throw new InvalidOperationException("The SCIM route ran without the ScimBearer authorization policy; check the route's AuthorizationPolicy.");
        }

        return (tenant, int.Parse(customer, CultureInfo.InvariantCulture));
    }
}
