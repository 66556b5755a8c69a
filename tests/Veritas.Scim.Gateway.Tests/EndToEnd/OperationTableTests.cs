using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// Dispatch, Allow and telemetry read one table: every endpoint answers the methods the table
/// lists and a 405 with exactly that Allow for the others, in whatever letter case the resource
/// names arrive.
/// </summary>
public sealed class OperationTableTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    [Fact]
    public async Task Every_endpoint_answers_its_methods_and_405s_the_rest_with_the_tables_allow_in_any_case()
    {
        var user = await gateway.CreateUserAsync("tenant-a", gateway.TokenA, EntraRequests.CreateUser(EntraRequests.UniqueUserName("Table")));
        var id = (string)user["id"]!;
        foreach (var endpoint in ScimOperations.Endpoints.Where(e => e.IsServed))
        {
            var canonical = string.Join('/', endpoint.Path.Select(s => s == ScimEndpoint.IdSegment ? IdFor(endpoint, id) : s));
            foreach (var path in new[] { canonical, Recase(canonical, upper: false, id), Recase(canonical, upper: true, id) })
            {
                foreach (var method in Methods)
                {
                    var allowed = endpoint.Methods.Any(m => m.Method == method);
                    var body = method is "GET" or "DELETE" ? null : method == "PATCH" ? EntraRequests.Patch("""{ "op": "Replace", "path": "displayName", "value": "Table" }""") : method == "POST" && path.EndsWith("search", StringComparison.OrdinalIgnoreCase) ? "{}" : EntraRequests.CreateUser(EntraRequests.UniqueUserName("Table"));
                    if (method == "DELETE" && allowed)
                    {
                        continue;
                    }

                    using var response = await gateway.SendAsync(new HttpMethod(method), $"/scim/tenant-a/v2/{path}", gateway.TokenA, body);
                    var status = (int)response.StatusCode;
                    if (allowed)
                    {
                        Assert.True(status is 200 or 201, $"{method} /{path}: {status} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                    }
                    else
                    {
                        await GatewayHost.AssertScimErrorAsync(response, 405);
                        Assert.Equal(endpoint.Allow, string.Join(", ", response.Content.Headers.Allow));
                    }

                    Assert.Equal(allowed ? endpoint.Methods.First(m => m.Method == method).Verb : "unsupported", Telemetry.Classify(method, path).Operation.Split('.')[1]);
                }
            }
        }
    }

    [Theory]
    [InlineData("users")]
    [InlineData("USERS")]
    [InlineData("Users")]
    public async Task A_user_is_read_updated_and_deleted_under_any_case_of_users(string resource)
    {
        var user = await gateway.CreateUserAsync("tenant-a", gateway.TokenA, EntraRequests.CreateUser(EntraRequests.UniqueUserName("Case")));
        var path = $"/scim/tenant-a/v2/{resource}/{(string)user["id"]!}";

        using (var read = await gateway.SendAsync(HttpMethod.Get, path, gateway.TokenA))
        {
            await GatewayHost.AssertScimAsync(read, 200);
        }

        using (var deleted = await gateway.SendAsync(HttpMethod.Delete, path, gateway.TokenA))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        using var gone = await gateway.SendAsync(HttpMethod.Get, path, gateway.TokenA);
        await GatewayHost.AssertScimErrorAsync(gone, 404);
    }

    private static string IdFor(ScimEndpoint endpoint, string userId) => endpoint.ResourceType switch
    {
        "ResourceType" => "User",
        "Schema" => Uri.EscapeDataString("urn:ietf:params:scim:schemas:core:2.0:User"),
        _ => userId,
    };

    /// <summary>Changes the case of the resource names only; ids and schema URNs keep theirs.</summary>
    private static string Recase(string path, bool upper, string id) =>
        string.Join('/', path.Split('/').Select(s => s == id || s.StartsWith("urn", StringComparison.Ordinal) || s == "User" ? s : upper ? s.ToUpperInvariant() : s.ToLowerInvariant()));

    private static class Telemetry
    {
        public static (string ResourceType, string Operation) Classify(string method, string path) =>
            Veritas.Scim.Gateway.Diagnostics.ScimOperationTelemetry.Classify(method, path);
    }
}
