namespace Veritas.Scim.Gateway.Tests.Infrastructure;

/// <summary>
/// Request bodies as Microsoft Entra's provisioning service sends them (the shapes of Microsoft's
/// "Develop and plan provisioning for a SCIM endpoint" tutorial), written as JSON text.
/// </summary>
public static class EntraRequests
{
    public const string Domain = "contoso.example";

    public static string UniqueUserName(string prefix) => $"{prefix}_{Guid.NewGuid():N}@{Domain}";

    /// <summary>
    /// Entra's create: core and enterprise schema only, the veritas extension object sent anyway,
    /// and the odd empty roles list and meta it always includes.
    /// </summary>
    public static string CreateUser(string userName, string? externalId = null, string? workEmail = null, string? aliasesJson = null, string active = "true")
    {
        var extension = aliasesJson is null
            ? string.Empty
            : $",\n  \"{GatewayHost.VeritasSchema}\": {{ \"emailAliases\": {aliasesJson} }}";
        return $$"""
            {
              "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
              ],
              "externalId": "{{externalId ?? Guid.NewGuid().ToString()}}",
              "userName": "{{userName}}",
              "active": {{active}},
              "displayName": "Test User",
              "emails": [
                {
                  "primary": true,
                  "type": "work",
                  "value": "{{workEmail ?? userName}}"
                }
              ],
              "meta": {
                "resourceType": "User"
              },
              "name": {
                "formatted": "givenName familyName",
                "familyName": "familyName",
                "givenName": "givenName"
              },
              "roles": []{{extension}}
            }
            """;
    }

    /// <summary>A PatchOp with the given operations (JSON text of the Operations array's items).</summary>
    public static string Patch(params string[] operations) => $$"""
        {
          "schemas": ["{{GatewayHost.PatchSchema}}"],
          "Operations": [
            {{string.Join(",\n", operations)}}
          ]
        }
        """;
}
