using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// The hostile-input corpus against the real gateway on loopback: every answer is checked for
/// no 5xx, a SCIM error for every 4xx, nothing written by a refused request, nothing of the other
/// tenant and no token; and nothing the clients did is logged as the gateway's error.
/// </summary>
public sealed class HostileCorpusTests(HostileGateway gateway) : IClassFixture<HostileGateway>
{
    [Fact]
    public async Task Every_hostile_input_class_gets_a_clean_refusal_or_a_correct_answer()
    {
        Assert.SkipUnless(DoorValidation.IsPresent, DoorValidation.MissingReason);
        var cases = HostileCorpus.All(gateway).ToList();
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var statuses = new SortedDictionary<int, int>();
        var violations = new List<(string Class, string Violation)>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (response, violation) = await gateway.CheckAsync(cases[i], $"(corpus case {i})");
            counts[cases[i].Class] = counts.GetValueOrDefault(cases[i].Class) + 1;
            var status = response?.Status ?? 0;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (violation is not null)
            {
                violations.Add((cases[i].Class, violation));
            }
        }

        Assert.True(violations.Count == 0, HostileReport.Describe(violations, gateway.Logs.Lines));

        await gateway.AssertBetaUntouchedAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"hostile corpus: {cases.Count} cases; per class: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}; per status: {string.Join(", ", statuses.Select(s => $"{s.Key.ToString(CultureInfo.InvariantCulture)}×{s.Value}"))}");
        Assert.Equal(19, counts.Count);
        Assert.All(counts, c => Assert.True(c.Value >= 5, $"class {c.Key} has only {c.Value} cases"));

        var loud = gateway.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.True(loud.Count == 0, "client input was logged as a warning or error: " + string.Join(" | ", loud.Take(5).Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception?.GetType().Name}")));
    }
}
