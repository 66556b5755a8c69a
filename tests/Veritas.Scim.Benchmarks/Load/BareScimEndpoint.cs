using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Veritas.Scim.Benchmarks.Load;

/// <summary>
/// The yardstick: bare ASP.NET Core on Kestrel answering the same SCIM routes with canned JSON
/// (no store, no parsing beyond routing). A query for a user name that starts with "new." finds
/// nothing, as the gateway's does during the create phase.
/// </summary>
internal static class BareScimEndpoint
{
    private const string ScimJson = "application/scim+json";

    private const string User = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:veritas:2.0:User"],
         "id":"0199A0B1C2D3E4F5A6B7C8D9E0F1A2B3","externalId":"ext-1","userName":"user1@load.example.com","active":true,
         "displayName":"Load User","name":{"givenName":"Load","familyName":"User"},
         "emails":[{"type":"work","primary":true,"value":"user1@load.example.com"}],
         "urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"SMTP:user1@load.example.com"},
         "meta":{"resourceType":"User","created":"2026-01-01T00:00:00Z","lastModified":"2026-01-01T00:00:00Z","version":"W/\"1\"","location":"/scim/load/v2/Users/0199A0B1C2D3E4F5A6B7C8D9E0F1A2B3"}}
        """;

    private static readonly string OneUser = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[""" + User + "]}";

    private const string NoUser = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}""";

    public static async Task<int> RunAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/readyz", () => "ok");
        app.MapGet("/scim/{tenant}/v2/Users", (HttpRequest request) =>
            Results.Text(request.Query["filter"].ToString().Contains("\"new.", StringComparison.Ordinal) ? NoUser : OneUser, ScimJson));
        app.MapGet("/scim/{tenant}/v2/Users/{id}", () => Results.Text(User, ScimJson));
        app.MapPost("/scim/{tenant}/v2/Users", () => Results.Text(User, ScimJson, statusCode: 201));
        app.MapPatch("/scim/{tenant}/v2/Users/{id}", () => Results.Text(User, ScimJson));
        await app.RunAsync();
        return 0;
    }
}
