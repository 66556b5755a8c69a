using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Veritas.Scim.Gateway.Cli;

namespace Veritas.Scim.Gateway.Tests.Cli;

/// <summary>Every verb as an operator runs it: the real executable, its stdout, stderr and exit code, on the embedded store.</summary>
public sealed partial class ExecutableVerbTests
{
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenShape();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Tenant_verbs_print_results_on_stdout_notes_on_stderr_and_json_when_asked()
    {
        using var gateway = new GatewayExecutable();

        var add = await gateway.RunAsync("tenant", "add", "acme", "--customer", "Acme Corp", "--Scim:CreateDemoTenant=false");
        Assert.True(add.ExitCode == 0, add.StandardError);
        Assert.Matches(TokenShape(), Assert.Single(Lines(add.StandardOutput)));
        Assert.Contains("Tenant URL: https://<gateway host>/scim/acme/v2", add.StandardError, StringComparison.Ordinal);

        var list = await gateway.RunAsync("tenant", "list");
        Assert.Equal(0, list.ExitCode);
        var row = Assert.Single(Lines(list.StandardOutput)).Split('\t');
        Assert.Equal(["acme", "Acme Corp"], new[] { row[0], row[2] });

        var json = JsonNode.Parse((await gateway.RunAsync("tenant", "list", "--json")).StandardOutput)!.AsArray();
        Assert.Equal("acme", (string?)Assert.Single(json)!["tenant"]);
        Assert.Equal("Acme Corp", (string?)json[0]!["customerName"]);

        var second = await gateway.RunAsync("tenant", "token", "add", "acme");
        Assert.Matches(TokenShape(), Assert.Single(Lines(second.StandardOutput)));
        var tokens = JsonNode.Parse((await gateway.RunAsync("tenant", "token", "list", "acme", "--json")).StandardOutput)!.AsArray();
        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, token => Assert.True((bool)token!["live"]!));

        var revoke = await gateway.RunAsync("tenant", "token", "revoke", "acme", ((int)tokens[1]!["tokenId"]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, revoke.ExitCode);
        Assert.Empty(revoke.StandardOutput);
        Assert.Contains("is revoked", revoke.StandardError, StringComparison.Ordinal);
        var plain = Lines((await gateway.RunAsync("tenant", "token", "list", "acme")).StandardOutput).Select(l => l.Split('\t')[1]).ToList();
        Assert.Equal("live", plain[0]);
        Assert.StartsWith("revoked ", plain[1], StringComparison.Ordinal);

        var refused = await gateway.RunAsync("tenant", "token", "add", "nobody");
        Assert.Equal(1, refused.ExitCode);
        Assert.Empty(refused.StandardOutput);
    }

    [Theory]
    [InlineData("tenant", "add", "a/b")]
    [InlineData("tenant", "add")]
    [InlineData("tenant", "token", "revoke", "acme", "one")]
    [InlineData("tenant", "frobnicate")]
    [InlineData("audit")]
    [InlineData("audit", "--tenant", "acme", "--limit", "0")]
    [InlineData("audit", "--tenant", "acme", "--since", "last tuesday")]
    [InlineData("audit", "--tenant", "acme", "--operation", "Explode")]
    [InlineData("doctor", "--no-such-option")]
    [InlineData("db", "deploy")]
    public async Task Usage_errors_exit_2_with_the_reason_and_the_verbs_usage_on_stderr(params string[] args)
    {
        using var gateway = new GatewayExecutable();

        var result = await gateway.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains("Usage:", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_verb_has_generated_help_naming_each_of_its_options_and_arguments()
    {
        using var gateway = new GatewayExecutable();
        var root = GatewayCli.CreateRootCommand(new CliContext(new CliConsole(TextWriter.Null, TextWriter.Null, isTerminal: false), []));
        var verbs = Walk(root, []).ToList();
        Assert.Contains(verbs, path => path.Words.SequenceEqual(["tenant", "token", "revoke"]));
        Assert.Contains(verbs, path => path.Words.SequenceEqual(["audit"]));
        Assert.Contains(verbs, path => path.Words.SequenceEqual(["doctor"]));

        foreach (var (words, command) in verbs)
        {
            var help = await gateway.RunAsync([.. words, "--help"]);
            Assert.True(help.ExitCode == 0, string.Join(' ', words) + ": " + help.StandardError);
            Assert.Contains("Usage:", help.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(command.Description!, help.StandardOutput, StringComparison.Ordinal);
            foreach (var option in command.Options)
            {
                Assert.Contains(option.Name, help.StandardOutput, StringComparison.Ordinal);
            }

            foreach (var argument in command.Arguments)
            {
                Assert.Contains("<" + argument.Name + ">", help.StandardOutput, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_suggest_directive_completes_verbs_and_option_values()
    {
        using var gateway = new GatewayExecutable();

        var verbs = await gateway.RunAsync("[suggest:8]", "tenant t");
        Assert.Equal(0, verbs.ExitCode);
        Assert.Contains("token", Lines(verbs.StandardOutput));

        var operations = await gateway.RunAsync("[suggest:33]", "audit --tenant a --operation Dele");
        Assert.Equal(["DeleteUser"], Lines(operations.StandardOutput));
    }

    [Fact]
    public async Task The_server_with_invalid_settings_prints_every_problem_on_a_line_and_exits_2_without_a_stack_trace()
    {
        using var gateway = new GatewayExecutable();

        var result = await gateway.RunAsync("--urls", "http://127.0.0.1:0", "--Scim:MaxResults=0", "--Scim:RateLimit:TokensPerSecond=0", "--Scim:Audit:PruneBatchSize=0");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        var lines = Lines(result.StandardError);
        Assert.All(lines, line => Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("ScimGatewayOptions.MaxResults", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("ScimRateLimitOptions.TokensPerSecond", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Scim:Audit:PruneBatchSize", StringComparison.Ordinal));
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task The_server_with_a_setting_of_the_wrong_type_names_it_and_exits_2()
    {
        using var gateway = new GatewayExecutable();

        var result = await gateway.RunAsync("--urls", "http://127.0.0.1:0", "--Scim:Store=Nonsense");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("'Nonsense' at 'Scim:Store'", Assert.Single(Lines(result.StandardError)), StringComparison.Ordinal);
    }

    private static IEnumerable<(string[] Words, Command Command)> Walk(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] words = [.. path, sub.Name];
            yield return (words, sub);
            foreach (var deeper in Walk(sub, words))
            {
                yield return deeper;
            }
        }
    }
}
