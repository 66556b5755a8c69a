using System.Collections.Concurrent;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>
/// Entra's cycle, when every request succeeds, throws no exception anywhere in the process: a
/// thrown and caught exception costs tens of microseconds (a stack trace is captured), and it is
/// paid on every request of a provisioning cycle. Found once as an InvalidOperationException that
/// <c>Activity</c> threw and caught inside every PATCH (the embedded store's writer thread had kept
/// the stopped Activity of the request that started it). Run alone: the listener is process-wide.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class SuccessPathExceptionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Entras_cycle_of_successful_requests_throws_no_exception(bool recordSpans)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var gateway = recordSpans
            ? await TelemetryGateway.StartAsync(cancellationToken)
            : await TelemetryGateway.StartAsConfiguredAsync(cancellationToken);

        // The first cycle starts what starts once (the store's writer, connections, caches).
        await CycleAsync(gateway.Client, "first", cancellationToken);

        var thrown = new ConcurrentQueue<string>();
        void Record(object? sender, FirstChanceExceptionEventArgs e) => thrown.Enqueue($"{e.Exception.GetType()}: {e.Exception.Message}\n{Environment.StackTrace}");
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CycleAsync(gateway.Client, $"cycle{i}", cancellationToken)));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.True(thrown.IsEmpty, string.Join("\n\n", thrown.Take(3)));
    }

    /// <summary>Entra's requests for one user: query, create, query, read, PATCH (attributes, aliases, disable), delete.</summary>
    private static async Task CycleAsync(HttpClient client, string name, CancellationToken cancellationToken)
    {
        var userName = $"{name}.{Guid.NewGuid():N}@demo.example.com";
        var query = $"scim/{TelemetryGateway.Tenant}/v2/Users?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}";
        Assert.Equal(0, (int)(await SendAsync(client, HttpMethod.Get, query, null, HttpStatusCode.OK, cancellationToken))["totalResults"]!);

        var created = await SendAsync(client, HttpMethod.Post, $"scim/{TelemetryGateway.Tenant}/v2/Users", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:veritas:2.0:User"],
             "userName":"{{userName}}","active":true,"displayName":"Cycle User","externalId":"{{Guid.NewGuid()}}",
             "name":{"givenName":"Cycle","familyName":"User"},
             "emails":[{"type":"work","value":"{{userName}}","primary":true}]}
            """, HttpStatusCode.Created, cancellationToken);
        var user = $"scim/{TelemetryGateway.Tenant}/v2/Users/{(string)created["id"]!}";

        Assert.Equal(1, (int)(await SendAsync(client, HttpMethod.Get, query, null, HttpStatusCode.OK, cancellationToken))["totalResults"]!);
        await SendAsync(client, HttpMethod.Get, user, null, HttpStatusCode.OK, cancellationToken);
        await SendAsync(client, HttpMethod.Patch, user, $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
             {"op":"Replace","path":"displayName","value":"Renamed User"},
             {"op":"Replace","path":"name.givenName","value":"Renamed"},
             {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":["alias.{{userName}}"]}]}
            """, HttpStatusCode.OK, cancellationToken);
        var disabled = await SendAsync(client, HttpMethod.Patch, user, """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}
            """, HttpStatusCode.OK, cancellationToken);
        Assert.False((bool)disabled["active"]!);
        await SendAsync(client, HttpMethod.Delete, user, null, HttpStatusCode.NoContent, cancellationToken);
    }

    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, string? json, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/scim+json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject();
    }
}
