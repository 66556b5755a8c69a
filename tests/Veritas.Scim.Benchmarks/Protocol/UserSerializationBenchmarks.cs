using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Benchmarks.Protocol;

/// <summary>
/// A User through the JSON steps of every request: parse a body, put it in canonical form,
/// project it, write it. Parsing the body is the baseline.
/// </summary>
[MemoryDiagnoser]
public class UserSerializationBenchmarks
{
    private static readonly byte[] EntraCreateBody = Encoding.UTF8.GetBytes("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
          "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com",
          "active": "True",
          "displayName": "Test User",
          "emails": [{ "Primary": true, "type": "work", "value": "Test_User_fd0ea19b@contoso.com" }],
          "meta": { "resourceType": "User" },
          "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Records", "employeeNumber": "701984" },
          "urn:ietf:params:scim:schemas:extension:veritas:2.0:User": { "emailAliases": "SMTP:Test_User_fd0ea19b@contoso.com,smtp:tu@contoso.com,x500:/o=Contoso/cn=tu" }
        }
        """);

    private static readonly JsonObject Canonical = ResourceCanonicalizer.CanonicalizeResource(ScimJson.ParseObject(EntraCreateBody), UserSchemas.Resource);

    [Benchmark(Baseline = true, Description = "Parse body")]
    public JsonObject Parse() => ScimJson.ParseObject(EntraCreateBody);

    [Benchmark(Description = "Parse + canonicalise")]
    public JsonObject ParseAndCanonicalize() => ResourceCanonicalizer.CanonicalizeResource(ScimJson.ParseObject(EntraCreateBody), UserSchemas.Resource);

    [Benchmark(Description = "Project (attributes=userName,emails)")]
    public JsonObject Project() => AttributeProjection.Apply(Canonical, UserSchemas.Resource, AttributeProjection.ParseList("userName,emails", UserSchemas.Resource), []);

    [Benchmark(Description = "Serialise to UTF-8")]
    public byte[] Serialize() => ScimJson.SerializeToUtf8(Canonical);
}
