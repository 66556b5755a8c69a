using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Discovery;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Discovery;

public sealed class DiscoveryDocumentsTests
{
    private const string BaseUrl = "https://gateway.example/scim/demo/v2/";

    [Fact]
    public void Service_provider_config_tells_what_the_gateway_supports()
    {
        var document = DiscoveryDocuments.ServiceProviderConfig(new ServiceProviderCapabilities(MaxResults: 200, MaxPayloadSize: 1_048_576), BaseUrl);

        Assert.True((bool)document["patch"]!["supported"]!);
        Assert.False((bool)document["bulk"]!["supported"]!);
        Assert.True((bool)document["filter"]!["supported"]!);
        Assert.Equal(200, (int)document["filter"]!["maxResults"]!);
        Assert.False((bool)document["changePassword"]!["supported"]!);
        Assert.True((bool)document["sort"]!["supported"]!);
        Assert.True((bool)document["etag"]!["supported"]!);
        Assert.Equal("oauthbearertoken", (string?)document["authenticationSchemes"]![0]!["type"]);
        Assert.Equal("https://gateway.example/scim/demo/v2/ServiceProviderConfig", (string?)document["meta"]!["location"]);
    }

    [Fact]
    public void User_resource_type_names_both_extensions_as_optional()
    {
        var document = DiscoveryDocuments.ResourceType(UserSchemas.Resource, BaseUrl);

        Assert.Equal("/Users", (string?)document["endpoint"]);
        Assert.Equal(UserSchemas.CoreSchemaId, (string?)document["schema"]);
        Assert.Equal(
            [UserSchemas.EnterpriseSchemaId, UserSchemas.VeritasSchemaId],
            document["schemaExtensions"]!.AsArray().Select(e => (string)e!["schema"]!));
        Assert.All(document["schemaExtensions"]!.AsArray(), e => Assert.False((bool)e!["required"]!));
    }

    [Fact]
    public void Schema_documents_describe_every_attribute_with_its_characteristics()
    {
        var document = DiscoveryDocuments.Schema(UserSchemas.Core, BaseUrl);
        var attributes = document["attributes"]!.AsArray().Cast<JsonObject>().ToDictionary(a => (string)a["name"]!);

        Assert.Equal(UserSchemas.Core.Attributes.Count, attributes.Count);
        Assert.Equal("readOnly", (string?)attributes["id"]["mutability"]);
        Assert.Equal("always", (string?)attributes["id"]["returned"]);
        Assert.Equal("server", (string?)attributes["userName"]["uniqueness"]);
        Assert.True((bool)attributes["userName"]["required"]!);
        Assert.Equal("never", (string?)attributes["password"]["returned"]);
        Assert.Equal("boolean", (string?)attributes["active"]["type"]);
        var emailSubs = attributes["emails"]["subAttributes"]!.AsArray().Select(s => (string)s!["name"]!);
        Assert.Equal(["value", "display", "type", "primary"], emailSubs);
    }

    [Fact]
    public void Veritas_extension_schema_documents_emailAliases()
    {
        var document = DiscoveryDocuments.Schema(UserSchemas.Veritas, BaseUrl);

        Assert.Equal("urn:ietf:params:scim:schemas:extension:veritas:2.0:User", (string?)document["id"]);
        Assert.Equal("emailAliases", (string?)document["attributes"]![0]!["name"]);
        Assert.Equal("https://gateway.example/scim/demo/v2/Schemas/urn:ietf:params:scim:schemas:extension:veritas:2.0:User", (string?)document["meta"]!["location"]);
    }
}
