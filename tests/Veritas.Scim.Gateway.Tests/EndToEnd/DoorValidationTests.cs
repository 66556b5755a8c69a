using System.Net.Http.Headers;
using System.Text;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using static Veritas.Scim.Gateway.Tests.Infrastructure.EntraRequests;

namespace Veritas.Scim.Gateway.Tests.EndToEnd;

/// <summary>
/// Issue 8 §1 and §2 over HTTP with raw bodies: what the door refuses (a member twice at any depth,
/// lone surrogates, invalid UTF-8) and schema-URN PATCH paths answer 4xx, never 500, and a refused
/// request writes nothing (read back).
/// </summary>
public sealed class DoorValidationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Tenant = "tenant-a";
    private const string Users = $"/scim/{Tenant}/v2/Users";
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private string Token => gateway.TokenA;

    /// <summary>A create body with <paramref name="inner"/> spliced in as its last members.</summary>
    private static string CreateWith(string userName, string inner) =>
        $$"""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", {{inner}} }""";

    public static TheoryData<string> NestedDuplicates() =>
    [
        """ "name": { "givenName": "a", "givenName": "b" } """,
        """ "name": { "givenName": "a", "GIVENNAME": "b" } """,
        """ "emails": [{ "value": "a@contoso.example", "type": "work", "Type": "home" }] """,
        $$""" "{{Enterprise}}": { "department": "a", "department": "b" } """,
        """ "unknownThing": { "x": 1, "X": 2 } """,
        """ "displayName": "a", "DisplayName": "b" """,
        """ "name.givenName": "a", "name": { "givenName": "b" } """,
    ];

    [Theory]
    [MemberData(nameof(NestedDuplicates))]
    public async Task A_create_naming_a_member_twice_at_any_depth_is_400_invalidSyntax_and_creates_nothing(string inner)
    {
        var userName = UniqueUserName("Dup");

        using var response = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateWith(userName, inner));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidSyntax");
        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);
    }

    public static TheoryData<string> PatchDuplicates() =>
    [
        """{ "op": "replace", "path": "displayName", "value": "x", "Value": "y" }""",
        """{ "op": "replace", "OP": "remove", "path": "displayName", "value": "x" }""",
        """{ "op": "replace", "value": { "displayName": "x", "displayname": "y" } }""",
        """{ "op": "add", "path": "emails", "value": [{ "value": "b@contoso.example", "value": "c@contoso.example" }] }""",
        $$"""{ "op": "add", "path": "{{Enterprise}}", "value": { "department": "x", "Department": "y" } }""",
    ];

    [Theory]
    [MemberData(nameof(PatchDuplicates))]
    public async Task A_patch_naming_a_member_twice_in_an_operation_or_its_value_is_400_and_changes_nothing(string operation)
    {
        var (id, before) = await NewUserAsync();

        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch(operation));

        await GatewayHost.AssertScimErrorAsync(response, 400, "invalidSyntax");
        await AssertUnchangedAsync(id, before);
    }

    [Theory]
    [InlineData("\\ud800x")]
    [InlineData("\\udc00")]
    [InlineData("\\udc00\\ud800")]
    public async Task A_lone_surrogate_in_a_body_a_patch_value_or_a_search_filter_is_400_invalidSyntax(string escaped)
    {
        var userName = UniqueUserName("Sur");
        using (var create = await gateway.SendAsync(HttpMethod.Post, Users, Token, CreateWith(userName, $$""" "displayName": "x{{escaped}}" """)))
        {
            await GatewayHost.AssertScimErrorAsync(create, 400, "invalidSyntax");
        }

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);

        var (id, before) = await NewUserAsync();
        using (var patch = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch($$"""{ "op": "replace", "path": "displayName", "value": "y{{escaped}}" }""")))
        {
            await GatewayHost.AssertScimErrorAsync(patch, 400, "invalidSyntax");
        }

        await AssertUnchangedAsync(id, before);

        using var search = await gateway.SendAsync(HttpMethod.Post, $"{Users}/.search", Token, $$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "userName eq \"{{escaped}}\"" }
            """);
        await GatewayHost.AssertScimErrorAsync(search, 400, "invalidSyntax");
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Invalid_UTF8_inside_a_string_is_400_invalidSyntax_and_writes_nothing(byte[] bytes)
    {
        var userName = UniqueUserName("Utf");
        using (var create = await SendBytesAsync(HttpMethod.Post, Users, Splice(CreateWith(userName, """ "displayName": "a#b" """), bytes)))
        {
            await GatewayHost.AssertScimErrorAsync(create, 400, "invalidSyntax");
        }

        Assert.Equal(0, (int)(await gateway.QueryAsync(Tenant, Token, $"userName eq \"{userName}\""))["totalResults"]!);

        var (id, before) = await NewUserAsync();
        using (var patch = await SendBytesAsync(HttpMethod.Patch, $"{Users}/{id}", Splice(Patch("""{ "op": "replace", "path": "displayName", "value": "a#b" }"""), bytes)))
        {
            await GatewayHost.AssertScimErrorAsync(patch, 400, "invalidSyntax");
        }

        await AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task A_patch_path_that_is_the_enterprise_urn_adds_to_and_removes_the_extension_without_junk_keys()
    {
        var (id, _) = await NewUserAsync();

        var added = await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""{ "op": "add", "path": "{{Enterprise}}", "value": { "department": "R&D" } }"""));

        Assert.Equal("R&D", (string?)added[Enterprise]?["department"]);
        var read = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.Equal("R&D", (string?)read[Enterprise]?["department"]);
        Assert.Contains(Enterprise, read["schemas"]!.AsArray().Select(s => (string?)s));
        Assert.DoesNotContain(read, p => p.Key.StartsWith("urn:", StringComparison.Ordinal) && p.Key != Enterprise);

        await gateway.PatchUserAsync(Tenant, Token, id, Patch($$"""{ "op": "remove", "path": "{{Enterprise}}" }"""));

        var removed = await gateway.GetUserAsync(Tenant, Token, id);
        Assert.False(removed.ContainsKey(Enterprise));
        Assert.DoesNotContain(Enterprise, removed["schemas"]!.AsArray().Select(s => (string?)s));
    }

    [Theory]
    [InlineData("""{ "op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr", "value": { "department": "X" } }""", "invalidPath")]
    [InlineData("""{ "op": "replace", "path": "urn:example:unknown:1.0:User:thing", "value": "X" }""", "invalidPath")]
    [InlineData("""{ "op": "replace", "path": "name.nickname", "value": "X" }""", "invalidPath")]
    [InlineData("""{ "op": "remove", "path": "active" }""", "mutability")]
    [InlineData("""{ "op": "remove", "path": "userName" }""", "mutability")]
    [InlineData("""{ "op": "remove", "path": "urn:ietf:params:scim:schemas:core:2.0:User" }""", "mutability")]
    [InlineData("""{ "op": "add", "path": "urn:ietf:params:scim:schemas:extension:veritas:2.0:User", "value": "smtp:x@contoso.example" }""", "invalidValue")]
    public async Task A_patch_path_that_names_nothing_or_cannot_be_honoured_is_400_and_changes_nothing(string operation, string scimType)
    {
        var (id, before) = await NewUserAsync(active: "false");

        using var response = await gateway.SendAsync(HttpMethod.Patch, $"{Users}/{id}", Token, Patch(operation));

        await GatewayHost.AssertScimErrorAsync(response, 400, scimType);
        await AssertUnchangedAsync(id, before);
    }

    private async Task<(string Id, string Before)> NewUserAsync(string active = "true")
    {
        var id = (string)(await gateway.CreateUserAsync(Tenant, Token, CreateUser(UniqueUserName("Door"), active: active)))["id"]!;
        return (id, (await gateway.GetUserAsync(Tenant, Token, id)).ToJsonString());
    }

    private async Task AssertUnchangedAsync(string id, string before) =>
        Assert.Equal(before, (await gateway.GetUserAsync(Tenant, Token, id)).ToJsonString());

    /// <summary>The body's UTF-8 with <paramref name="bytes"/> where the text has '#'.</summary>
    private static byte[] Splice(string json, byte[] bytes)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(utf8, (byte)'#');
        return [.. utf8[..at], .. bytes, .. utf8[(at + 1)..]];
    }

    private Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string path, byte[] body) =>
        gateway.SendAsync(method, path, Token, configure: request =>
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(GatewayHost.ScimMediaType);
        });
}
