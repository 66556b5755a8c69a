using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>Bad requests get the right SCIM 4xx, never a 500.</summary>
public sealed class ProtocolErrorTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Base = "/scim/tenant-a/v2";

    private string Token => gateway.TokenA;

    private async Task<string> NewUserAsync() =>
        (string)(await gateway.CreateUserAsync("tenant-a", Token, CreateUser(UniqueUserName("Err"))))["id"]!;

    [Theory]
    [InlineData("{ \"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{ \"userName\": \"a@b.example\", }")]
    public async Task Malformed_json_is_400_invalidSyntax(string body)
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Users", Token, body);

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidSyntax");
    }

    [Fact]
    public async Task A_missing_user_is_the_same_404_for_every_method_whether_it_never_existed_or_was_deleted()
    {
        var deleted = await NewUserAsync();
        using (var delete = await gateway.SendAsync(HttpMethod.Delete, $"{Base}/Users/{deleted}", Token))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, delete.StatusCode);
        }

        foreach (var id in (string[])[deleted, "0000000000000000000000000000BEEF"])
        {
            var details = new List<string?>();
            foreach (var (method, body) in (ValueTuple<HttpMethod, string?>[])[
                (HttpMethod.Get, null),
                (HttpMethod.Put, CreateUser(UniqueUserName("Gone"))),
                (HttpMethod.Patch, Patch("""{ "op": "Replace", "path": "active", "value": "False" }""")),
                (HttpMethod.Delete, null)])
            {
                using var response = await gateway.SendAsync(method, $"{Base}/Users/{id}", Token, body);
                details.Add((string?)(await GatewayHost.AssertScimErrorAsync(response, 404))["detail"]);
            }

            Assert.All(details, detail => Assert.Equal($"User '{id}' not found.", detail));
        }
    }

    [Fact]
    public async Task Malformed_patch_json_is_400_invalidSyntax()
    {
        var id = await NewUserAsync();
        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Base}/Users/{id}", Token, "{ \"Operations\": [ { \"op\": ");

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidSyntax");
    }

    [Theory]
    [InlineData("userName eq")]
    [InlineData("userName eq \"unterminated")]
    [InlineData("userName zz \"x\"")]
    [InlineData("(userName eq \"x\"")]
    [InlineData("userName eq \"x\" and")]
    public async Task Bad_filter_is_400_invalidFilter(string filter)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Base}/Users?filter={Uri.EscapeDataString(filter)}", Token);

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidFilter");
    }

    [Theory]
    [InlineData("emails[type eq \\\"work\\\".value")]
    [InlineData("emails[type eq]")]
    [InlineData("name..givenName")]
    public async Task Bad_patch_path_is_400_invalidPath(string path)
    {
        var id = await NewUserAsync();
        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Base}/Users/{id}", Token, Patch($$"""{ "op": "Replace", "path": "{{path}}", "value": "x" }"""));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidPath");
    }

    [Fact]
    public async Task Unknown_patch_op_is_400_and_changes_nothing()
    {
        var id = await NewUserAsync();
        var before = await gateway.GetUserAsync("tenant-a", Token, id);
        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Base}/Users/{id}", Token, Patch(
            """{ "op": "Replace", "path": "displayName", "value": "First" }""",
            """{ "op": "Frobnicate", "path": "displayName", "value": "x" }"""));

        await GatewayHost.AssertScimErrorAsync(response, 400);
        Assert.Equal(before.ToJsonString(), (await gateway.GetUserAsync("tenant-a", Token, id)).ToJsonString());
    }

    [Fact]
    public async Task Missing_user_name_is_400_invalidValue()
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Users", Token, """{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": true }""");

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidValue");
    }

    [Fact]
    public async Task Oversized_body_is_413_with_a_scim_error_whether_announced_or_streamed()
    {
        var padding = new string('x', GatewayFixture.MaxBodyBytes);
        var body = CreateUser(UniqueUserName("Big")).Replace("\"Test User\"", $"\"{padding}\"", StringComparison.Ordinal);

        using (var announced = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Users", Token, body))
        {
            await GatewayHost.AssertScimErrorAsync(announced, 413);
        }

        using var streamed = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Users", Token, configure: request =>
        {
            request.Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GatewayHost.ScimMediaType);
            request.Headers.TransferEncodingChunked = true;
        });
        await GatewayHost.AssertScimErrorAsync(streamed, 413);
    }

    [Fact]
    public async Task Unsupported_content_type_is_415()
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Users", Token, CreateUser(UniqueUserName("Text")), contentType: "text/plain");

        await GatewayHost.AssertScimErrorAsync(response, 415);
    }

    [Theory]
    [InlineData("DELETE", "Users", "GET, POST")]
    [InlineData("PUT", "Users", "GET, POST")]
    [InlineData("GET", "Users/.search", "POST")]
    [InlineData("GET", ".search", "POST")]
    [InlineData("POST", "Users/some-id", "GET, PUT, PATCH, DELETE")]
    [InlineData("POST", "ServiceProviderConfig", "GET")]
    [InlineData("DELETE", "Schemas", "GET")]
    [InlineData("PATCH", "ResourceTypes/User", "GET")]
    public async Task Wrong_method_is_405_with_allow(string method, string path, string allow)
    {
        using var response = await gateway.SendAsync(new HttpMethod(method), $"{Base}/{path}", Token, method is "GET" or "DELETE" ? null : "{}");

        await GatewayHost.AssertScimErrorAsync(response, 405);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("Groups")]
    [InlineData("Groups/123")]
    [InlineData("Devices")]
    [InlineData("Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")]
    [InlineData("ResourceTypes/Group")]
    [InlineData("Users/DOES-NOT-EXIST")]
    public async Task Groups_and_unknown_resources_are_a_scim_404(string path)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Base}/{path}", Token);

        await GatewayHost.AssertScimErrorAsync(response, 404);
    }

    [Fact]
    public async Task Post_to_groups_is_a_scim_404()
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, $"{Base}/Groups", Token, """{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "g" }""");

        await GatewayHost.AssertScimErrorAsync(response, 404);
    }

    [Theory]
    [InlineData("sortBy=password")]
    [InlineData("count=-5")]
    [InlineData("startIndex=abc")]
    [InlineData("filter=nickName%20eq%20%22x%22")]
    public async Task Query_parameters_out_of_reach_are_a_400_not_a_500(string query)
    {
        using var response = await gateway.SendAsync(HttpMethod.Get, $"{Base}/Users?{query}", Token);

        Assert.InRange((int)response.StatusCode, 200, 499);
        Assert.Equal(GatewayHost.ScimMediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
