using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;

namespace Veritas.Scim.Benchmarks.Protocol;

/// <summary>
/// PATCH as the gateway runs it per request: read the parsed body, apply it to a copy of the stored
/// user, and (for aliases) normalise what was written. Entra sends these three shapes most.
/// </summary>
[MemoryDiagnoser]
public class PatchBenchmarks
{
    private const string PrimaryAddress = "jyoung@contoso.com";

    private static readonly JsonObject User = JsonNode.Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "jyoung",
          "userName": "jyoung@contoso.com",
          "name": { "givenName": "Jo", "familyName": "Young" },
          "displayName": "Jo Young",
          "active": true,
          "emails": [ { "value": "jyoung@contoso.com", "type": "work", "primary": true } ],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Sales", "employeeNumber": "701984" },
          "meta": { "resourceType": "User", "created": "2026-01-01T00:00:00Z", "lastModified": "2026-01-01T00:00:00Z", "version": "W/\"1\"" }
        }
        """)!.AsObject();

    private static readonly JsonObject DisableBody = Body("""[{"op":"Replace","path":"active","value":"False"}]""");

    private static readonly JsonObject MultiAttributeReplaceBody = Body("""
        [{"op":"Replace","value":{
          "displayName":"Pat Doe",
          "name.givenName":"Pat",
          "name.familyName":"Doe",
          "active":false,
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"R&D"}},
         {"op":"Replace","path":"emails[type eq \"work\"].value","value":"pdoe@contoso.com"}]
        """);

    private static readonly JsonObject EmailAliasesAddBody = Body("""
        [{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases",
          "value":"SMTP:jyoung@contoso.com,smtp:jo@contoso.com,smtp:j.young@contoso.com,smtp:jo.young@contoso.com,smtp:jyoung@contoso.onmicrosoft.com,smtp:jyoung@contoso.mail.onmicrosoft.com,smtp:sales-jo@contoso.com,smtp:jy@contoso.co.uk,x500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=abc123-jyoung,X400:c=US;a= ;p=Contoso;o=Exchange;s=Young;g=Jo;,sip:jyoung@contoso.com"}]
        """);

    [Benchmark(Baseline = true, Description = "Replace active (\"False\")")]
    public PatchResult ReplaceActive() => Apply(DisableBody);

    [Benchmark(Description = "Entra multi-attribute Replace")]
    public PatchResult MultiAttributeReplace() => Apply(MultiAttributeReplaceBody);

    [Benchmark(Description = "Add emailAliases + normalise")]
    public EmailAliasSet AddEmailAliases()
    {
        var result = Apply(EmailAliasesAddBody);
        var raw = result.Resource[UserSchemas.VeritasSchemaId]![UserSchemas.EmailAliases];
        return EmailAliasNormalizer.Normalize(raw, PrimaryAddress);
    }

    private static PatchResult Apply(JsonObject body) =>
        PatchInterpreter.Apply(User, PatchRequest.Parse(body).Operations, UserSchemas.Resource);

    private static JsonObject Body(string operations) => new()
    {
        ["schemas"] = new JsonArray(PatchRequest.PatchOpSchema),
        ["Operations"] = JsonNode.Parse(operations),
    };
}
