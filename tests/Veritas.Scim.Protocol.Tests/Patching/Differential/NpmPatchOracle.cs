using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Tests.Oracles;

namespace Veritas.Scim.Protocol.Tests.Patching.Differential;

/// <summary>One answer of scim-patch: its refusal, or the patched resource.</summary>
internal sealed record NpmPatchAnswer(string? Error, JsonObject? Resource);

/// <summary>Runs patch-oracle.js (scim-patch) with Node (see <see cref="NpmOracle"/>).</summary>
internal sealed class NpmPatchOracle
{
    private static readonly Lazy<(NpmOracle? Oracle, string? Problem)> Prepared = NpmOracle.Lazily(Path.Combine("Patching", "Differential"), "scim-patch", "patch-oracle.js");

    private readonly NpmOracle _oracle;

    private NpmPatchOracle(NpmOracle oracle) => _oracle = oracle;

    public static NpmPatchOracle Require() => new(NpmOracle.Require(Prepared, "PATCH"));

    public IReadOnlyList<NpmPatchAnswer> Apply(IReadOnlyList<(JsonObject Resource, JsonArray Operations)> cases)
    {
        var input = new JsonObject
        {
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["resource"] = c.Resource.DeepClone(),
                ["operations"] = c.Operations.DeepClone(),
            })]),
        };
        var answers = JsonNode.Parse(_oracle.Run(input.ToJsonString()))!.AsArray();
        return [.. answers.Select(a => new NpmPatchAnswer((string?)a!["error"], a["resource"]?.AsObject()))];
    }
}
