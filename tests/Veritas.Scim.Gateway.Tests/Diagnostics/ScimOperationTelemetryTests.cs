using Veritas.Scim.Gateway.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

public sealed class ScimOperationTelemetryTests
{
    [Theory]
    [InlineData("POST", "Users", "User", "User.create")]
    [InlineData("GET", "Users", "User", "User.query")]
    [InlineData("GET", "users/", "User", "User.query")]
    [InlineData("POST", "Users/.search", "User", "User.search")]
    [InlineData("POST", ".search", "User", "User.search")]
    [InlineData("GET", "Users/2c9a", "User", "User.get")]
    [InlineData("PUT", "Users/2c9a", "User", "User.replace")]
    [InlineData("PATCH", "Users/2c9a", "User", "User.patch")]
    [InlineData("DELETE", "Users/2c9a", "User", "User.delete")]
    [InlineData("HEAD", "Users/2c9a", "User", "User.unsupported")]
    [InlineData("GET", "ServiceProviderConfig", "ServiceProviderConfig", "ServiceProviderConfig.get")]
    [InlineData("GET", "Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "Schema", "Schema.get")]
    [InlineData("GET", "ResourceTypes", "ResourceType", "ResourceType.get")]
    [InlineData("POST", "Groups", "Group", "Group.unsupported")]
    [InlineData("GET", "", "unknown", "unknown.unsupported")]
    [InlineData("GET", "users/2c9a", "User", "User.get")]
    [InlineData("get", "USERS/.SEARCH", "User", "User.unsupported")]
    public void Operations_are_named_by_resource_type_and_verb_never_by_a_value_from_the_path(string method, string rest, string resourceType, string operation)
    {
        Assert.Equal((resourceType, operation), ScimOperationTelemetry.Classify(method, rest));
    }
}
