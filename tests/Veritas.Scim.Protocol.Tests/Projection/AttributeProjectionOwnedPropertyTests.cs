using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Projection;

/// <summary>
/// <see cref="AttributeProjection.ApplyToOwned"/> skips the copy when nothing is withheld; it must
/// answer exactly what <see cref="AttributeProjection.Apply"/> answers, for resources made of every
/// attribute of every schema of the User resource (any letter case, null values, sub-attributes of
/// every returned characteristic, attributes no schema knows, empty extension objects).
/// </summary>
public sealed class AttributeProjectionOwnedPropertyTests
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    private static readonly Gen<string> Cased = Gen.Bool.Select(upper => upper ? "UPPER" : "as-is");

    private static Gen<string> NameOf(string name) => Cased.Select(casing => casing == "UPPER" ? name.ToUpperInvariant() : name);

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.String[0, 6].Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)));

    private static Gen<JsonNode?> ValueFor(ScimAttributeDefinition? definition)
    {
        var subNames = definition?.SubAttributes.Select(s => s.Name).Append("unknownSub").ToArray() ?? ["value", "unknownSub"];
        var complex = Gen.Select(Gen.OneOfConst(subNames), NameOf("x"), Scalar, (name, _, value) => (name, value)).Array[0, 4]
            .SelectMany(pairs => Gen.Bool.Select(upper =>
            {
                var element = new JsonObject();
                foreach (var (name, value) in pairs)
                {
                    element[upper ? name.ToUpperInvariant() : name] = value?.DeepClone();
                }

                return element;
            }));
        return Gen.Frequency(
            (2, Scalar),
            (2, complex.Select(o => (JsonNode?)o)),
            (2, complex.Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items]))));
    }

    private static Gen<(string Name, JsonNode? Value)> AttributeOf(ScimSchema schema) =>
        Gen.OneOfConst([.. schema.Attributes, null])
            .SelectMany(definition => Gen.Select(NameOf(definition?.Name ?? "favouriteColour"), ValueFor(definition), (name, value) => (name, value)));

    private static readonly Gen<JsonObject> ResourceGen =
        Gen.Select(
            AttributeOf(User.Core).Array[0, 12],
            Gen.Int[0, User.Extensions.Count],
            Gen.Int[0, 3].SelectMany(count => AttributeOf(User.Extensions[0]).Array[count]),
            Gen.Bool,
            (core, extensionCount, extensionAttributes, extensionIsObject) =>
            {
                var resource = new JsonObject { ["schemas"] = new JsonArray(JsonValue.Create(User.Core.Id)) };
                foreach (var (name, value) in core)
                {
                    resource[name] = value?.DeepClone();
                }

                foreach (var extension in User.Extensions.Take(extensionCount))
                {
                    var body = new JsonObject();
                    foreach (var (name, value) in extensionAttributes)
                    {
                        body[name] = value?.DeepClone();
                    }

                    resource[extension.Id] = extensionIsObject ? body : JsonValue.Create("not an object");
                }

                return resource;
            });

    [Fact]
    public void An_owned_resource_projects_as_a_copied_one() =>
        ResourceGen.Sample(
            resource =>
            {
                var expected = AttributeProjection.Apply(resource, User, [], []);
                var owned = AttributeProjection.ApplyToOwned((JsonObject)resource.DeepClone(), User, [], []);
                Assert.True(JsonNode.DeepEquals(expected, owned), $"expected {expected.ToJsonString()}\nactual   {owned.ToJsonString()}");
                Assert.Equal(expected.Select(p => p.Key), owned.Select(p => p.Key));
            },
            iter: 5_000,
            print: resource => resource.ToJsonString());

    [Fact]
    public void Nothing_to_withhold_is_answered_without_a_copy()
    {
        var resource = (JsonObject)JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen","name":{"givenName":"B"},"emails":[{"value":"b@x","type":"work"}]}""")!;

        Assert.Same(resource, AttributeProjection.ApplyToOwned(resource, User, [], []));
    }

    [Fact]
    public void A_never_returned_attribute_is_withheld_from_an_owned_resource_too()
    {
        var resource = (JsonObject)JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen","PASSWORD":"secret"}""")!;

        Assert.False(AttributeProjection.ApplyToOwned(resource, User, [], []).ContainsKey("PASSWORD"));
    }
}
