using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Schemas;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

/// <summary>Immutable attributes (none in the User schemas, so a schema made for the test).</summary>
public sealed class PatchMutabilityTests
{
    private static readonly ScimResourceSchema Schema = new(
        "Device",
        "/Devices",
        new ScimSchema(
            "urn:example:Device",
            "Device",
            "A device",
            [
                Common.Id,
                new("serialNumber") { Mutability = ScimMutability.Immutable },
                new("label"),
                new("hardware", ScimAttributeType.Complex) { SubAttributes = [new("model") { Mutability = ScimMutability.Immutable }, new("colour")] },
            ]),
        []);

    private static PatchResult ApplyTo(string resource, params PatchOperation[] operations) =>
        PatchInterpreter.Apply(Json(resource).AsObject(), operations, Schema);

    [Fact]
    public void An_immutable_attribute_may_be_added_when_absent()
    {
        var result = ApplyTo("""{"id":"d1"}""", Add("serialNumber", "SN-1"), Add("hardware.model", "X1"));
        Assert.Equal("SN-1", (string?)result.Resource["serialNumber"]);
        Assert.Equal("X1", (string?)result.Resource["hardware"]!["model"]);
    }

    [Fact]
    public void An_immutable_attribute_may_be_written_again_with_the_same_value()
    {
        Assert.False(ApplyTo("""{"id":"d1","serialNumber":"SN-1"}""", Replace("serialNumber", "SN-1")).Changed);
    }

    [Theory]
    [InlineData(PatchOperationKind.Replace, "serialNumber")]
    [InlineData(PatchOperationKind.Add, "serialNumber")]
    [InlineData(PatchOperationKind.Remove, "serialNumber")]
    [InlineData(PatchOperationKind.Replace, "hardware.model")]
    public void An_immutable_attribute_may_not_be_changed_once_set(PatchOperationKind kind, string path)
    {
        var error = Assert.Throws<ScimException>(() => ApplyTo(
            """{"id":"d1","serialNumber":"SN-1","hardware":{"model":"X1"}}""",
            new PatchOperation(kind, path, kind == PatchOperationKind.Remove ? null : JsonValue.Create("other"))));
        Assert.Equal(ScimErrorType.Mutability, error.ScimType);
    }

    [Fact]
    public void Other_sub_attributes_beside_an_immutable_one_stay_writable()
    {
        var result = ApplyTo("""{"id":"d1","hardware":{"model":"X1"}}""", Replace("hardware.colour", "red"));
        Assert.True(JsonNode.DeepEquals(Json("""{"model":"X1","colour":"red"}"""), result.Resource["hardware"]));
    }
}
