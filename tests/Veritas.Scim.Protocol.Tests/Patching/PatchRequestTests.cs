using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;

namespace Veritas.Scim.Protocol.Tests.Patching;

public sealed class PatchRequestTests
{
    private static PatchRequest Parse(string json) => PatchRequest.Parse(JsonNode.Parse(json)!.AsObject());

    private static ScimException Rejects(string json) => Assert.Throws<ScimException>(() => Parse(json));

    [Theory]
    [InlineData("add", PatchOperationKind.Add)]
    [InlineData("Add", PatchOperationKind.Add)]
    [InlineData("ADD", PatchOperationKind.Add)]
    [InlineData("replace", PatchOperationKind.Replace)]
    [InlineData("Replace", PatchOperationKind.Replace)]
    [InlineData("REPLACE", PatchOperationKind.Replace)]
    [InlineData("remove", PatchOperationKind.Remove)]
    [InlineData("Remove", PatchOperationKind.Remove)]
    public void Reads_op_names_in_any_case(string op, PatchOperationKind expected)
    {
        var request = Parse($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"{{op}}","path":"displayName","value":"x"}]}""");
        var operation = Assert.Single(request.Operations);
        Assert.Equal(expected, operation.Op);
        Assert.Equal("displayName", operation.Path);
    }

    [Fact]
    public void Matches_keys_and_the_schema_urn_ignoring_case()
    {
        var request = Parse("""{"Schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],"operations":[{"OP":"replace","Path":"active","Value":false}]}""");
        var operation = Assert.Single(request.Operations);
        Assert.Equal(PatchOperationKind.Replace, operation.Op);
        Assert.Equal("active", operation.Path);
        Assert.False(operation.Value!.GetValue<bool>());
    }

    [Fact]
    public void Keeps_operations_in_order_and_a_missing_path_as_null()
    {
        var request = Parse("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","value":{"displayName":"x"}},
              {"op":"Remove","path":"nickName"},
              {"op":"Add","path":"title","value":"Boss"}]}
            """);
        Assert.Equal([PatchOperationKind.Replace, PatchOperationKind.Remove, PatchOperationKind.Add], request.Operations.Select(o => o.Op));
        Assert.Null(request.Operations[0].Path);
        Assert.IsType<JsonObject>(request.Operations[0].Value);
    }

    [Fact]
    public void Detaches_values_from_the_body()
    {
        var body = JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"x","value":{"a":1}}]}""")!.AsObject();
        var operation = Assert.Single(PatchRequest.Parse(body).Operations);
        Assert.Null(operation.Value!.Parent);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"add","path":"x","value":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"add","path":"x","value":1}]}""")]
    [InlineData("""{"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp","Operations":[{"op":"add","path":"x","value":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{"op":"add"}}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["add"]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"merge","path":"x","value":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"path":"x","value":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":1,"path":"x","value":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":7,"value":1}]}""")]
    public void Rejects_malformed_bodies_with_invalidSyntax(string json)
    {
        var error = Rejects(json);
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"displayName"}""")]
    [InlineData("""{"op":"Replace","path":"displayName"}""")]
    [InlineData("""{"op":"add","path":"displayName","value":null}""")]
    [InlineData("""{"op":"Add"}""")]
    public void Rejects_add_and_replace_without_a_value_with_invalidValue(string operation)
    {
        var error = Rejects($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operation}}]}""");
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
    }

    [Theory]
    [InlineData("""{"op":"remove"}""")]
    [InlineData("""{"op":"Remove","path":""}""")]
    [InlineData("""{"op":"remove","path":"  ","value":"x"}""")]
    public void Rejects_remove_without_a_path_with_noTarget(string operation)
    {
        var error = Rejects($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operation}}]}""");
        Assert.Equal(ScimErrorType.NoTarget, error.ScimType);
    }

    [Fact]
    public void Accepts_replace_with_an_explicit_null_which_clears_the_attribute()
    {
        var operation = Assert.Single(Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"nickName","value":null}]}""").Operations);
        Assert.Null(operation.Value);
    }

    [Fact]
    public void Carries_up_to_the_most_operations_and_refuses_one_more()
    {
        static string Body(int count) => """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["""
            + string.Join(',', Enumerable.Repeat("""{"op":"replace","path":"displayName","value":"x"}""", count)) + "]}";

        Assert.Equal(PatchRequest.MaxOperations, Parse(Body(PatchRequest.MaxOperations)).Operations.Count);
        var error = Rejects(Body(PatchRequest.MaxOperations + 1));
        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains($"at most {PatchRequest.MaxOperations} operations", error.Message, StringComparison.Ordinal);
    }
}
