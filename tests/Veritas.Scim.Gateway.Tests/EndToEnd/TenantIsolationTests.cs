using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Per-tenant bearer tokens (DESIGN.md §7): every failure is the same 401, and tenants never see each other.</summary>
public sealed class TenantIsolationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static async Task<string> AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        await GatewayHost.AssertScimErrorAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Token_of_another_tenant_and_an_unknown_tenant_get_the_identical_401()
    {
        using var wrongTenant = await gateway.SendAsync(HttpMethod.Get, "/scim/tenant-a/v2/Users", gateway.TokenB);
        using var unknownTenant = await gateway.SendAsync(HttpMethod.Get, "/scim/no-such-tenant/v2/Users", gateway.TokenB);
        using var unknownWithoutToken = await gateway.SendAsync(HttpMethod.Get, "/scim/no-such-tenant/v2/Users", null);

        var wrongBody = await AssertUnauthorizedAsync(wrongTenant);
        Assert.Equal(wrongBody, await AssertUnauthorizedAsync(unknownTenant));
        Assert.Equal(wrongBody, await AssertUnauthorizedAsync(unknownWithoutToken));
        Assert.Equal(wrongTenant.Headers.WwwAuthenticate.ToString(), unknownTenant.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Missing_malformed_or_unknown_token_is_401(string? authorization)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, "/scim/tenant-a/v2/Users", null, configure: request =>
        {
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization.StartsWith("Basic", StringComparison.Ordinal) ? authorization : "Bearer " + authorization);
            }
        });

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Every_scim_endpoint_needs_the_token()
    {
        foreach (var path in new[] { "ServiceProviderConfig", "Schemas", "ResourceTypes", "Users/x", "Groups" })
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, $"/scim/tenant-a/v2/{path}", null);
            await AssertUnauthorizedAsync(response);
        }
    }

    [Fact]
    public async Task Users_of_one_tenant_are_invisible_to_another()
    {
        var userName = UniqueUserName("Isolated");
        var id = (string)(await gateway.CreateUserAsync("tenant-a", gateway.TokenA, CreateUser(userName)))["id"]!;

        using (var get = await gateway.SendAsync(HttpMethod.Get, $"/scim/tenant-b/v2/Users/{id}", gateway.TokenB))
        {
            await GatewayHost.AssertScimErrorAsync(get, 404);
        }

        using (var patch = await gateway.SendAsync(HttpMethod.Patch, $"/scim/tenant-b/v2/Users/{id}", gateway.TokenB, Patch("""{ "op": "Replace", "path": "active", "value": false }""")))
        {
            await GatewayHost.AssertScimErrorAsync(patch, 404);
        }

        using (var delete = await gateway.SendAsync(HttpMethod.Delete, $"/scim/tenant-b/v2/Users/{id}", gateway.TokenB))
        {
            await GatewayHost.AssertScimErrorAsync(delete, 404);
        }

        Assert.Equal(0, (int)(await gateway.QueryAsync("tenant-b", gateway.TokenB, $"userName eq \"{userName}\""))["totalResults"]!);
        Assert.Equal(0, (int)(await gateway.QueryAsync("tenant-b", gateway.TokenB, $"id eq \"{id}\""))["totalResults"]!);

        // The same userName is free in the other tenant: customers are separate.
        await gateway.CreateUserAsync("tenant-b", gateway.TokenB, CreateUser(userName));
        Assert.True((bool)(await gateway.GetUserAsync("tenant-a", gateway.TokenA, id))["active"]!);
    }

    [Fact]
    public async Task Revoked_token_stops_at_once_while_the_other_token_keeps_working()
    {
        var tenant = "revoke-" + Guid.NewGuid().ToString("N")[..8];
        var first = await gateway.AddTenantAsync(tenant);
        var second = await gateway.AddTokenAsync(tenant);

        using (var ok = await gateway.SendAsync(HttpMethod.Get, $"/scim/{tenant}/v2/Users", first))
        {
            await GatewayHost.AssertScimAsync(ok, 200);
        }

        var tokens = await gateway.RunCliAsync("tenant", "token", "list", tenant);
        var firstId = tokens.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Split('\t')[0];
        var revoke = await gateway.RunCliAsync("tenant", "token", "revoke", tenant, firstId);
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);

        using (var revoked = await gateway.SendAsync(HttpMethod.Get, $"/scim/{tenant}/v2/Users", first))
        {
            await AssertUnauthorizedAsync(revoked);
        }

        using var still = await gateway.SendAsync(HttpMethod.Get, $"/scim/{tenant}/v2/Users", second);
        await GatewayHost.AssertScimAsync(still, 200);
        Assert.Contains("revoked", (await gateway.RunCliAsync("tenant", "token", "list", tenant)).StandardOutput, StringComparison.Ordinal);
    }
}
