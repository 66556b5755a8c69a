using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.Cli;

/// <summary>The administration verbs, run against the same data folder as a running gateway.</summary>
public sealed partial class GatewayCliTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenShape();

    private static string NewKey() => "cli-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Tenant_add_prints_only_the_token_on_stdout_and_it_works_at_once()
    {
        var key = NewKey();
        var result = await gateway.RunCliAsync("tenant", "add", key, "--customer", "CLI Customer " + key);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = Assert.Single(lines);
        Assert.Matches(TokenShape(), token);
        Assert.DoesNotContain(token, result.StandardError, StringComparison.Ordinal);
        Assert.Contains(key, result.StandardError, StringComparison.Ordinal);

        using var response = await gateway.SendAsync(HttpMethod.Get, $"/scim/{key}/v2/Users", token);
        await GatewayHost.AssertScimAsync(response, 200);
    }

    [Fact]
    public async Task Tenant_list_shows_every_tenant_with_its_customer()
    {
        var key = NewKey();
        await gateway.AddTenantAsync(key, "Listed Customer " + key);

        var result = await gateway.RunCliAsync("tenant", "list");

        Assert.Equal(0, result.ExitCode);
        var rows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        Assert.Contains(rows, r => r[0] == key && r[2] == "Listed Customer " + key);
        Assert.Contains(rows, r => r[0] == "tenant-a");
        Assert.Contains(rows, r => r[0] == "demo");
    }

    [Fact]
    public async Task Token_add_gives_a_second_working_token_and_revoke_stops_only_it()
    {
        var key = NewKey();
        var first = await gateway.AddTenantAsync(key);
        var second = await gateway.AddTokenAsync(key);
        Assert.Matches(TokenShape(), second);
        Assert.NotEqual(first, second);

        foreach (var token in new[] { first, second })
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, $"/scim/{key}/v2/Users", token);
            await GatewayHost.AssertScimAsync(response, 200);
        }

        var list = await gateway.RunCliAsync("tenant", "token", "list", key);
        var ids = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(2, ids.Count);
        Assert.DoesNotContain(first, list.StandardOutput, StringComparison.Ordinal);

        var revoke = await gateway.RunCliAsync("tenant", "token", "revoke", key, ids[1]);
        Assert.Equal(0, revoke.ExitCode);
        Assert.Empty(revoke.StandardOutput);

        using (var revoked = await gateway.SendAsync(HttpMethod.Get, $"/scim/{key}/v2/Users", second))
        {
            await GatewayHost.AssertScimErrorAsync(revoked, 401);
        }

        using var kept = await gateway.SendAsync(HttpMethod.Get, $"/scim/{key}/v2/Users", first);
        await GatewayHost.AssertScimAsync(kept, 200);
    }

    [Theory]
    [InlineData("tenant")]
    [InlineData("tenant", "frobnicate")]
    [InlineData("tenant", "add")]
    [InlineData("tenant", "token", "revoke", "tenant-a")]
    [InlineData("tenant", "token", "revoke", "tenant-a", "not-a-number")]
    [InlineData("db")]
    [InlineData("db", "deploy")]
    [InlineData("nonsense")]
    [InlineData("tenant", "add", "")]
    [InlineData("tenant", "add", "  ")]
    [InlineData("tenant", "add", "a/b")]
    [InlineData("tenant", "add", "has space")]
    [InlineData("tenant", "add", "what?")]
    [InlineData("tenant", "add", "..")]
    [InlineData("tenant", "add", "ok-key", "--customer", "")]
    [InlineData("tenant", "token", "add", "")]
    [InlineData("tenant", "token", "list", "")]
    [InlineData("tenant", "token", "revoke", "", "1")]
    public async Task Usage_errors_exit_2_with_usage_on_stderr_and_nothing_on_stdout(params string[] args)
    {
        var result = await gateway.RunCliAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains("Usage", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_refusals_exit_1()
    {
        var existing = await gateway.RunCliAsync("tenant", "add", "tenant-a");
        Assert.Equal(1, existing.ExitCode);
        Assert.Empty(existing.StandardOutput);

        var unknown = await gateway.RunCliAsync("tenant", "token", "add", "no-such-tenant-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Empty(unknown.StandardOutput);

        var notThere = await gateway.RunCliAsync("tenant", "token", "revoke", "tenant-a", "999999");
        Assert.Equal(1, notThere.ExitCode);
    }

    [Fact]
    public async Task Tenant_key_longer_than_64_characters_is_a_usage_error()
    {
        var result = await gateway.RunCliAsync("tenant", "add", new string('k', 65));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(0, (await gateway.RunCliAsync("tenant", "add", "k" + Guid.NewGuid().ToString("N") + "." + new string('k', 30))).ExitCode);
    }

    [Fact]
    public async Task A_tenant_cannot_revoke_another_tenants_token()
    {
        var key = NewKey();
        await gateway.AddTenantAsync(key);
        var victimKey = NewKey();
        var victimToken = await gateway.AddTenantAsync(victimKey);
        var victimTokenId = (await gateway.RunCliAsync("tenant", "token", "list", victimKey)).StandardOutput.Split('\t')[0];

        var result = await gateway.RunCliAsync("tenant", "token", "revoke", key, victimTokenId);

        Assert.Equal(1, result.ExitCode);
        using var response = await gateway.SendAsync(HttpMethod.Get, $"/scim/{victimKey}/v2/Users", victimToken);
        await GatewayHost.AssertScimAsync(response, 200);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_every_verb_on_stdout()
    {
        var result = await gateway.RunCliAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "tenant", "db", "audit", "doctor" })
        {
            Assert.Matches($"(?m)^  {verb} ", result.StandardOutput);
        }

        var tenant = await gateway.RunCliAsync("tenant", "--help");
        Assert.Equal(0, tenant.ExitCode);
        Assert.Contains("add", tenant.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("token", tenant.StandardOutput, StringComparison.Ordinal);
    }
}
