using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Tests.Oracles;

namespace Veritas.Scim.Protocol.Tests.Filtering.Differential;

/// <summary>One answer of scim2-parse-filter: its parse error, or whether each document matched.</summary>
internal sealed record NpmAnswer(string? Error, bool[]? Matches);

/// <summary>Runs filter-oracle.js (scim2-parse-filter) with Node (see <see cref="NpmOracle"/>).</summary>
internal sealed class NpmFilterOracle
{
    private static readonly Lazy<(NpmOracle? Oracle, string? Problem)> Prepared = NpmOracle.Lazily(Path.Combine("Filtering", "Differential"), "scim2-parse-filter", "filter-oracle.js");

    private readonly NpmOracle _oracle;

    private NpmFilterOracle(NpmOracle oracle) => _oracle = oracle;

    public static NpmFilterOracle Require() => new(NpmOracle.Require(Prepared, "filter"));

    public IReadOnlyList<NpmAnswer> Evaluate(IReadOnlyList<(string Filter, JsonObject[] Documents)> cases)
    {
        var input = new JsonObject
        {
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["filter"] = c.Filter,
                ["documents"] = new JsonArray([.. c.Documents.Select(d => d.DeepClone())]),
            })]),
        };
        var answers = JsonNode.Parse(_oracle.Run(input.ToJsonString()))!.AsArray();
        return [.. answers.Select(a => new NpmAnswer(
            (string?)a!["error"],
            a["matches"]?.AsArray().Select(m => m!.GetValue<bool>()).ToArray()))];
    }
}
