using System.Globalization;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// A bounded, seeded HTTP fuzzer against the real gateway. VERITAS_SCIM_FUZZ_CASES sets how many
/// requests (CI default below, about 30 s), VERITAS_SCIM_FUZZ_SEED chooses other requests (CI uses a fixed seed); the seed and
/// the case number are in every failure message.
/// </summary>
public sealed class ScimFuzzTests(HostileGateway gateway) : IClassFixture<HostileGateway>
{
    public const string CasesVariable = "VERITAS_SCIM_FUZZ_CASES";
    public const string SeedVariable = "VERITAS_SCIM_FUZZ_SEED";
    public const int DefaultCases = 1500;

    /// <summary>CI replays the same requests every run; set VERITAS_SCIM_FUZZ_SEED to explore others.</summary>
    public const int DefaultSeed = 20261201;

    [Fact]
    public async Task Fuzzed_requests_from_the_scim_grammar_never_break_an_invariant()
    {
        Assert.SkipUnless(DoorValidation.IsPresent, DoorValidation.MissingReason);
        var cases = int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var configured) && configured > 0 ? configured : DefaultCases;
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var given) ? given : DefaultSeed;
        var fuzzer = new ScimFuzzer(seed, gateway);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var violations = new List<(string Class, string Violation)>();
        for (var i = 0; i < cases; i++)
        {
            var hostile = fuzzer.Next();
            var (response, violation) = await gateway.CheckAsync(hostile, $"(fuzz case {i} of {cases}, replay with {SeedVariable}={seed.ToString(CultureInfo.InvariantCulture)})");
            fuzzer.Learn(response);
            counts[hostile.Class] = counts.GetValueOrDefault(hostile.Class) + 1;
            if (violation is not null)
            {
                violations.Add((hostile.Class, violation));
            }
        }

        Assert.True(violations.Count == 0, $"seed {seed}: " + HostileReport.Describe(violations, gateway.Logs.Lines));

        await gateway.AssertBetaUntouchedAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz: seed {seed}, {cases} cases: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");
    }
}
