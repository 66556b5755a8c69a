using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Protocol.Tests.Messages;

public sealed class ScimDocumentsTests
{
    [Fact]
    public void Error_document_has_the_error_schema_status_as_a_string_and_the_scimType()
    {
        var document = ScimDocuments.Error(ScimException.Uniqueness("userName 'jdoe' is already taken."));

        Assert.True(Json.DeepEquals(Json.Node("""
            {
              'schemas': ['urn:ietf:params:scim:api:messages:2.0:Error'],
              'status': '409',
              'scimType': 'uniqueness',
              'detail': 'userName \u0027jdoe\u0027 is already taken.'
            }
            """), document), document.ToJsonString());
    }

    [Fact]
    public void Error_without_scimType_leaves_it_out()
    {
        var document = ScimDocuments.Error(404, null, "Resource 2819c223 not found.");

        Assert.False(document.ContainsKey("scimType"));
        Assert.Equal("404", (string?)document["status"]);
    }

    [Theory]
    [InlineData(ScimErrorType.InvalidFilter, "invalidFilter")]
    [InlineData(ScimErrorType.TooMany, "tooMany")]
    [InlineData(ScimErrorType.InvalidVers, "invalidVers")]
    [InlineData(ScimErrorType.NoTarget, "noTarget")]
    public void ScimType_uses_the_RFC_names(ScimErrorType type, string wire) => Assert.Equal(wire, ScimDocuments.ToWireName(type));

    [Fact]
    public void Every_scimType_has_a_wire_name() =>
        Assert.All(Enum.GetValues<ScimErrorType>(), type => Assert.False(string.IsNullOrEmpty(ScimDocuments.ToWireName(type))));

    [Fact]
    public void Empty_list_response_is_what_Entra_expects_for_a_query_with_no_match()
    {
        var document = ScimDocuments.ListResponse([], totalResults: 0, startIndex: 1);

        Assert.True(Json.DeepEquals(Json.Node("""
            { 'schemas': ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], 'totalResults': 0, 'startIndex': 1, 'itemsPerPage': 0, 'Resources': [] }
            """), document), document.ToJsonString());
    }

    [Fact]
    public void List_response_counts_the_items_of_this_page()
    {
        var document = ScimDocuments.ListResponse([Json.Object("{ 'id': '1' }"), Json.Object("{ 'id': '2' }")], totalResults: 7, startIndex: 3);

        Assert.Equal(2, (int)document["itemsPerPage"]!);
        Assert.Equal(7, (int)document["totalResults"]!);
        Assert.Equal(3, (int)document["startIndex"]!);
    }
}
