using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Discovery;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Discovery;

/// <summary>
/// /Schemas as a strict client reads it (issue 8 §4): every attribute states every characteristic
/// of RFC 7643 §7, and the core User and enterprise extension agree, attribute by attribute, with
/// the RFC's own representation (§8.7.1, kept as a test resource), but for the differences listed
/// here with their reasons.
/// </summary>
public sealed class SchemaRfcConformanceTests
{
    private const string BaseUrl = "https://gateway.example/scim/demo/v2";

    private static readonly string[] Characteristics = ["name", "type", "multiValued", "required", "caseExact", "mutability", "returned", "uniqueness"];

    /// <summary>
    /// Where the gateway's schema says something other than §8.7.1, and why. The test fails when
    /// a difference appears that is not listed, and when a listed one goes away.
    /// </summary>
    private static readonly Dictionary<string, string> IntendedDifferences = new()
    {
        ["User:id: not in the RFC"] = "A common attribute (RFC 7643 §3.1), which §8.7.1 leaves out; §3.1 allows listing it, and its characteristics are checked against §3.1 below.",
        ["User:externalId: not in the RFC"] = "A common attribute (RFC 7643 §3.1); see id.",
        ["User:meta: not in the RFC"] = "A common attribute (RFC 7643 §3.1); see id.",
        ["User:x509Certificates.value: caseExact RFC=false served=true"] = "RFC 7643 §2.3.6: a binary attribute is case exact; §8.7.1's representation contradicts it, and a client that builds its model from /Schemas (SCIMMY) refuses a binary attribute that is not.",
        ["User:addresses.primary: not in the RFC"] = "RFC 7643 §2.4 gives every multi-valued attribute a 'primary' sub-attribute and §4.1.2 describes a primary address, but §8.7.1 omits it; the gateway keeps at most one primary address like any other multi-valued attribute.",
    };

    private static JsonArray RfcSchemas()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Discovery", "Rfc", "rfc7643-8.7.1-user-schemas.json"));
        return JsonNode.Parse(text)!["schemas"]!.AsArray();
    }

    public static TheoryData<string> ServedSchemas() => [.. UserSchemas.Resource.AllSchemas.Select(s => s.Id)];

    [Theory]
    [MemberData(nameof(ServedSchemas))]
    public void Every_attribute_states_every_characteristic_of_RFC7643_section_7(string schemaId)
    {
        var document = DiscoveryDocuments.Schema(UserSchemas.Resource.FindSchema(schemaId)!, BaseUrl);

        foreach (var (path, attribute, isSub) in Walk(document["attributes"]!.AsArray(), schemaId))
        {
            foreach (var characteristic in Characteristics)
            {
                Assert.True(attribute.ContainsKey(characteristic), $"{path} has no {characteristic}");
            }

            Assert.Contains((string)attribute["type"]!, new[] { "string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex" });
            Assert.Contains((string)attribute["mutability"]!, new[] { "readOnly", "readWrite", "immutable", "writeOnly" });
            Assert.Contains((string)attribute["returned"]!, new[] { "always", "never", "default", "request" });
            Assert.Contains((string)attribute["uniqueness"]!, new[] { "none", "server", "global" });
            if ((string)attribute["type"]! == "binary")
            {
                Assert.True((bool)attribute["caseExact"]!, $"{path} is binary, and a binary attribute is case exact (RFC 7643 §2.3.6)");
            }

            if ((string)attribute["type"]! == "reference")
            {
                Assert.True(attribute["referenceTypes"] is JsonArray { Count: > 0 }, $"{path} is a reference without referenceTypes");
            }

            if ((string)attribute["type"]! == "complex")
            {
                Assert.False(isSub, $"{path}: a sub-attribute cannot be complex (RFC 7643 §2.3.8)");
                Assert.True(attribute["subAttributes"] is JsonArray { Count: > 0 }, $"{path} is complex without subAttributes");
            }
        }
    }

    [Fact]
    public void Core_user_and_enterprise_extension_match_RFC7643_section_8_7_1_attribute_by_attribute()
    {
        var differences = new List<string>();
        var compared = 0;
        foreach (var rfcSchema in RfcSchemas())
        {
            var id = (string)rfcSchema!["id"]!;
            var ours = DiscoveryDocuments.Schema(UserSchemas.Resource.FindSchema(id)!, BaseUrl);
            var prefix = (string)rfcSchema["name"]! switch { "User" => "User", var name => name };
            var rfc = Walk(rfcSchema["attributes"]!.AsArray(), prefix).ToDictionary(a => a.Path, a => a.Attribute);
            var served = Walk(ours["attributes"]!.AsArray(), prefix).ToDictionary(a => a.Path, a => a.Attribute);

            foreach (var (path, expected) in rfc)
            {
                if (!served.TryGetValue(path, out var actual))
                {
                    differences.Add($"{path}: not served");
                    continue;
                }

                foreach (var (key, value) in expected)
                {
                    if (key is "description" or "subAttributes")
                    {
                        continue;
                    }

                    compared++;
                    var mine = actual[key] ?? (key == "canonicalValues" ? new JsonArray() : null);
                    if (!JsonNode.DeepEquals(value, mine))
                    {
                        differences.Add($"{path}: {key} RFC={value?.ToJsonString()} served={mine?.ToJsonString() ?? "(none)"}");
                    }
                }
            }

            // A sub-attribute of an attribute the RFC does not list is covered by its parent's entry.
            differences.AddRange(served.Keys.Except(rfc.Keys)
                .Where(path => !path.Contains('.', StringComparison.Ordinal) || rfc.ContainsKey(path[..path.LastIndexOf('.')]))
                .Select(path => $"{path}: not in the RFC"));
        }

        Assert.True(compared > 400, $"only {compared} characteristics compared");
        Assert.Equal(IntendedDifferences.Keys.Order(StringComparer.Ordinal), differences.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Common_attributes_have_the_characteristics_of_RFC7643_section_3_1()
    {
        var attributes = DiscoveryDocuments.Schema(UserSchemas.Core, BaseUrl)["attributes"]!.AsArray().OfType<JsonObject>().ToDictionary(a => (string)a["name"]!);

        AssertCharacteristics(attributes["id"], "string", caseExact: true, "readOnly", "always", "server");
        AssertCharacteristics(attributes["externalId"], "string", caseExact: true, "readWrite", "default", "none");
        AssertCharacteristics(attributes["meta"], "complex", caseExact: false, "readOnly", "default", "none");
        var meta = attributes["meta"]["subAttributes"]!.AsArray().OfType<JsonObject>().ToDictionary(a => (string)a["name"]!);
        Assert.Equal(["resourceType", "created", "lastModified", "location", "version"], meta.Keys);
        AssertCharacteristics(meta["resourceType"], "string", caseExact: true, "readOnly", "default", "none");
        AssertCharacteristics(meta["created"], "dateTime", caseExact: false, "readOnly", "default", "none");
        AssertCharacteristics(meta["lastModified"], "dateTime", caseExact: false, "readOnly", "default", "none");
        AssertCharacteristics(meta["location"], "reference", caseExact: true, "readOnly", "default", "none");
        Assert.Equal(["uri"], meta["location"]["referenceTypes"]!.AsArray().Select(t => (string)t!));
        AssertCharacteristics(meta["version"], "string", caseExact: true, "readOnly", "default", "none");
    }

    [Fact]
    public void Photo_urls_and_meta_location_carry_reference_types()
    {
        var attributes = DiscoveryDocuments.Schema(UserSchemas.Core, BaseUrl)["attributes"]!.AsArray().OfType<JsonObject>().ToDictionary(a => (string)a["name"]!);

        var photoValue = attributes["photos"]["subAttributes"]!.AsArray().OfType<JsonObject>().Single(s => (string?)s["name"] == "value");
        Assert.Equal(["external"], photoValue["referenceTypes"]!.AsArray().Select(t => (string)t!));
        var location = attributes["meta"]["subAttributes"]!.AsArray().OfType<JsonObject>().Single(s => (string?)s["name"] == "location");
        Assert.Equal(["uri"], location["referenceTypes"]!.AsArray().Select(t => (string)t!));
    }

    private static void AssertCharacteristics(JsonObject attribute, string type, bool caseExact, string mutability, string returned, string uniqueness)
    {
        var name = (string?)attribute["name"];
        Assert.True(type == (string?)attribute["type"], $"{name}.type");
        Assert.True(caseExact == (bool)attribute["caseExact"]!, $"{name}.caseExact");
        Assert.True(mutability == (string?)attribute["mutability"], $"{name}.mutability");
        Assert.True(returned == (string?)attribute["returned"], $"{name}.returned");
        Assert.True(uniqueness == (string?)attribute["uniqueness"], $"{name}.uniqueness");
        Assert.False((bool)attribute["multiValued"]!, $"{name}.multiValued");
        Assert.False((bool)attribute["required"]!, $"{name}.required");
    }

    /// <summary>Every attribute and sub-attribute, with a path such as <c>User:emails.value</c>.</summary>
    internal static IEnumerable<(string Path, JsonObject Attribute, bool IsSub)> Walk(JsonArray attributes, string prefix)
    {
        foreach (var attribute in attributes.OfType<JsonObject>())
        {
            var path = $"{prefix}:{(string)attribute["name"]!}";
            yield return (path, attribute, false);
            foreach (var sub in (attribute["subAttributes"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                yield return ($"{path}.{(string)sub["name"]!}", sub, true);
            }
        }
    }
}
