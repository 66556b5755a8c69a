using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Discovery;

/// <summary>What the gateway supports, so that discovery tells the truth about it.</summary>
/// <param name="MaxResults">The largest page a query returns.</param>
/// <param name="MaxPayloadSize">The largest request body accepted, in bytes.</param>
/// <param name="DocumentationUri">Where operators read how to connect, if published.</param>
public sealed record ServiceProviderCapabilities(int MaxResults, int MaxPayloadSize, Uri? DocumentationUri = null);

/// <summary>
/// The discovery endpoints of RFC 7644 §4: ServiceProviderConfig, ResourceTypes and Schemas,
/// generated from the same schema definitions the library validates against.
/// </summary>
public static class DiscoveryDocuments
{
    public static JsonObject ServiceProviderConfig(ServiceProviderCapabilities capabilities, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var document = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessageSchemas.ServiceProviderConfig),
            ["patch"] = Supported(true),
            ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = capabilities.MaxResults },
            ["changePassword"] = Supported(false),
            ["sort"] = Supported(true),
            ["etag"] = Supported(true),
            ["authenticationSchemes"] = new JsonArray(new JsonObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "OAuth Bearer Token",
                ["description"] = "A per-tenant secret token sent as 'Authorization: Bearer <token>'.",
                ["primary"] = true,
            }),
            ["meta"] = Meta("ServiceProviderConfig", $"{Trim(baseUrl)}/ServiceProviderConfig"),
        };
        if (capabilities.DocumentationUri is { } documentation)
        {
            document["documentationUri"] = documentation.ToString();
        }

        return document;
    }

    public static JsonObject ResourceType(ScimResourceSchema resource, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var extensions = new JsonArray();
        foreach (var extension in resource.Extensions)
        {
            extensions.Add(new JsonObject { ["schema"] = extension.Id, ["required"] = false });
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessageSchemas.ResourceType),
            ["id"] = resource.Name,
            ["name"] = resource.Name,
            ["endpoint"] = resource.Endpoint,
            ["description"] = resource.Core.Description,
            ["schema"] = resource.Core.Id,
            ["schemaExtensions"] = extensions,
            ["meta"] = Meta("ResourceType", $"{Trim(baseUrl)}/ResourceTypes/{resource.Name}"),
        };
    }

    public static JsonObject Schema(ScimSchema schema, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var attributes = new JsonArray();
        foreach (var attribute in schema.Attributes)
        {
            attributes.Add(Describe(attribute));
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimMessageSchemas.Schema),
            ["id"] = schema.Id,
            ["name"] = schema.Name,
            ["description"] = schema.Description,
            ["attributes"] = attributes,
            ["meta"] = Meta("Schema", $"{Trim(baseUrl)}/Schemas/{schema.Id}"),
        };
    }

    private static JsonObject Describe(ScimAttributeDefinition attribute)
    {
        var description = new JsonObject
        {
            ["name"] = attribute.Name,
            ["type"] = TypeName(attribute.Type),
            ["multiValued"] = attribute.MultiValued,
            ["description"] = attribute.Description,
            ["required"] = attribute.Required,
        };
        // Every characteristic of RFC 7643 §7 is stated for every attribute, even where the RFC's
        // own representation leaves one to its default: strict clients build models from these.
        description["caseExact"] = attribute.CaseExact;
        if (attribute.CanonicalValues.Count > 0)
        {
            description["canonicalValues"] = new JsonArray([.. attribute.CanonicalValues.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        if (attribute.Type == ScimAttributeType.Reference)
        {
            description["referenceTypes"] = new JsonArray([.. attribute.ReferenceTypes.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        description["mutability"] = attribute.Mutability switch
        {
            ScimMutability.ReadOnly => "readOnly",
            ScimMutability.Immutable => "immutable",
            ScimMutability.WriteOnly => "writeOnly",
            _ => "readWrite",
        };
        description["returned"] = attribute.Returned switch
        {
            ScimReturned.Always => "always",
            ScimReturned.Never => "never",
            ScimReturned.Request => "request",
            _ => "default",
        };
        description["uniqueness"] = attribute.Uniqueness switch
        {
            ScimUniqueness.Server => "server",
            ScimUniqueness.Global => "global",
            _ => "none",
        };
        if (attribute.Type == ScimAttributeType.Complex)
        {
            description["subAttributes"] = new JsonArray([.. attribute.SubAttributes.Select(s => (JsonNode)Describe(s))]);
        }

        return description;
    }

    private static string TypeName(ScimAttributeType type) => type switch
    {
        ScimAttributeType.Boolean => "boolean",
        ScimAttributeType.Decimal => "decimal",
        ScimAttributeType.Integer => "integer",
        ScimAttributeType.DateTime => "dateTime",
        ScimAttributeType.Binary => "binary",
        ScimAttributeType.Reference => "reference",
        ScimAttributeType.Complex => "complex",
        _ => "string",
    };

    private static JsonObject Supported(bool supported) => new() { ["supported"] = supported };

    private static JsonObject Meta(string resourceType, string location) => new()
    {
        ["resourceType"] = resourceType,
        ["location"] = location,
    };

    private static string Trim(string baseUrl) => baseUrl.TrimEnd('/');
}
