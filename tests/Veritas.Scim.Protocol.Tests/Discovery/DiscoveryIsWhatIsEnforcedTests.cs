using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Discovery;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Schemas;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Discovery;

/// <summary>
/// What /Schemas says is what the library does: caseExact is how the filter evaluator compares,
/// readOnly and required are what PATCH refuses. Read from the published documents, not from the
/// model, so that a characteristic published but not enforced (or the reverse) fails here.
/// </summary>
public sealed class DiscoveryIsWhatIsEnforcedTests
{
    private static readonly ScimResourceSchema Resource = UserSchemas.Resource;

    /// <summary>Each string attribute and sub-attribute the evaluator compares, with its published caseExact.</summary>
    public static TheoryData<string, bool> TextPathsWithCaseExact()
    {
        var data = new TheoryData<string, bool>();
        foreach (var schema in Resource.AllSchemas)
        {
            var prefix = ReferenceEquals(schema, Resource.Core) ? string.Empty : schema.Id + ":";
            foreach (var attribute in Published(schema))
            {
                if (IsComparableText(attribute) && schema.FindAttribute((string)attribute["name"]!) is { PreserveRawValue: false })
                {
                    data.Add(prefix + (string)attribute["name"]!, (bool)attribute["caseExact"]!);
                }

                foreach (var sub in (attribute["subAttributes"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    if (IsComparableText(sub))
                    {
                        data.Add($"{prefix}{(string)attribute["name"]!}.{(string)sub["name"]!}", (bool)sub["caseExact"]!);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TextPathsWithCaseExact))]
    public void The_evaluator_compares_each_attribute_as_its_published_caseExact_says(string path, bool caseExact)
    {
        var resource = ResourceWith(path, "MiXed-Value");

        var matchesOtherCase = FilterEvaluator.Matches(FilterParser.Parse($"{path} eq \"mixed-value\""), resource, Resource);
        var matchesSameCase = FilterEvaluator.Matches(FilterParser.Parse($"{path} eq \"MiXed-Value\""), resource, Resource);

        Assert.True(matchesSameCase, $"{path} eq its own value did not match");
        Assert.Equal(!caseExact, matchesOtherCase);
    }

    public static TheoryData<string> PublishedReadOnlyAttributes() =>
        [.. Resource.AllSchemas.SelectMany(schema => Published(schema)
            .Where(a => (string?)a["mutability"] == "readOnly")
            .Select(a => (ReferenceEquals(schema, Resource.Core) ? string.Empty : schema.Id + ":") + (string)a["name"]!))];

    [Theory]
    [MemberData(nameof(PublishedReadOnlyAttributes))]
    public void Patch_refuses_to_change_or_remove_what_is_published_read_only(string path)
    {
        var definition = Resource.Resolve(Resource.ParseQualifiedName(path))!.Attribute;
        JsonNode value = definition switch
        {
            { Type: ScimAttributeType.Complex, MultiValued: true } => new JsonArray(new JsonObject { ["value"] = "changed" }),
            { Type: ScimAttributeType.Complex } => new JsonObject { [definition.SubAttributes[^1].Name] = "changed" },
            _ => JsonValue.Create("changed"),
        };

        var replace = Assert.Throws<ScimException>(() => Apply(User(), Replace(path, value)));
        var remove = Assert.Throws<ScimException>(() => Apply(User(), Remove(path)));

        Assert.Equal(ScimErrorType.Mutability, replace.ScimType);
        Assert.Equal(ScimErrorType.Mutability, remove.ScimType);
    }

    [Fact]
    public void Patch_refuses_to_remove_what_is_published_required()
    {
        var required = Resource.AllSchemas.SelectMany(Published).Where(a => (bool)a["required"]!).Select(a => (string)a["name"]!).ToList();

        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.Equal(ScimErrorType.Mutability, Assert.Throws<ScimException>(() => Apply(User(), new PatchOperation(PatchOperationKind.Remove, name, null))).ScimType));
    }

    private static IEnumerable<JsonObject> Published(ScimSchema schema) =>
        DiscoveryDocuments.Schema(schema, "https://gateway.example/scim/demo/v2")["attributes"]!.AsArray().OfType<JsonObject>();

    /// <summary>Text a client filters on; a write-only value is never compared.</summary>
    private static bool IsComparableText(JsonObject attribute) =>
        (string?)attribute["type"] is "string" or "reference" && (string?)attribute["returned"] != "never" && !(bool)attribute["multiValued"]!;

    /// <summary>A resource holding <paramref name="text"/> at the path (inside an array for multi-valued attributes).</summary>
    private static JsonObject ResourceWith(string path, string text)
    {
        var attributePath = Resource.ParseQualifiedName(path);
        var resolved = Resource.Resolve(attributePath)!;
        JsonNode value = text;
        if (resolved.SubAttribute is { } sub)
        {
            var complex = new JsonObject { [sub.Name] = text };
            value = resolved.Attribute.MultiValued ? new JsonArray(complex) : complex;
        }

        var resource = new JsonObject { ["schemas"] = new JsonArray(Resource.Core.Id) };
        if (resolved.IsExtension)
        {
            resource[resolved.Schema.Id] = new JsonObject { [resolved.Attribute.Name] = value };
        }
        else
        {
            resource[resolved.Attribute.Name] = value;
        }

        return resource;
    }
}
