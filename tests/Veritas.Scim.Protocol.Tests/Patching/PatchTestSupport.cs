using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Patching;

internal static class PatchTestSupport
{
    public const string Enterprise = UserSchemas.EnterpriseSchemaId;
    public const string VeritasExtension = UserSchemas.VeritasSchemaId;

    /// <summary>A canonical user as the store would hand it to the interpreter.</summary>
    public static JsonObject User() => JsonNode.Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "jyoung",
          "userName": "jyoung@contoso.com",
          "name": { "givenName": "Jo", "familyName": "Young" },
          "displayName": "Jo Young",
          "active": true,
          "emails": [
            { "value": "jyoung@contoso.com", "type": "work", "primary": true },
            { "value": "jo@home.example", "type": "home" }
          ],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Sales", "employeeNumber": "701984" },
          "meta": { "resourceType": "User", "created": "2026-01-01T00:00:00Z", "lastModified": "2026-01-01T00:00:00Z", "version": "W/\"1\"" }
        }
        """)!.AsObject();

    public static PatchResult Apply(JsonObject resource, params PatchOperation[] operations) =>
        PatchInterpreter.Apply(resource, operations, UserSchemas.Resource);

    /// <summary>Parses a whole PATCH body as the HTTP layer would and applies it.</summary>
    public static PatchResult ApplyBody(JsonObject resource, string body) =>
        PatchInterpreter.Apply(resource, PatchRequest.Parse(JsonNode.Parse(body)!.AsObject()).Operations, UserSchemas.Resource);

    public static PatchOperation Add(string? path, JsonNode? value) => new(PatchOperationKind.Add, path, value);

    public static PatchOperation Replace(string? path, JsonNode? value) => new(PatchOperationKind.Replace, path, value);

    public static PatchOperation Remove(string path) => new(PatchOperationKind.Remove, path, null);

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;

    public static JsonArray Emails(JsonObject resource) => resource["emails"]!.AsArray();

    public static JsonObject? Email(JsonObject resource, string type) =>
        resource["emails"]?.AsArray().OfType<JsonObject>().SingleOrDefault(e => (string?)e["type"] == type);
}
