using System.Text;
using Microsoft.Extensions.Logging;
using Veritas.Scim.Gateway.Tests.Infrastructure;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// A body the gateway cannot read (Kestrel's BadHttpRequestException from broken chunked framing,
/// a body cut short) is a 4xx or nothing, never a 500, and is logged at most as information.
/// </summary>
public sealed class UnreadableRequestTests
{
    [Theory]
    [InlineData("ZZ\r\n{}\r\n0\r\n\r\n")]
    [InlineData("2\r\n{}XX\r\n0\r\n\r\n")]
    [InlineData("FFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n")]
    public async Task A_malformed_chunked_body_is_a_scim_400_logged_as_information(string framing)
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false);
        await gateway.InitializeAsync();
        var token = await gateway.AddTenantAsync("chunks");

        var response = await RawHttp.SendAsync(
            gateway.Address,
            new RawRequest("POST", "/scim/chunks/v2/Users", [("Authorization", "Bearer " + token), ("Content-Type", GatewayHost.ScimMediaType), ("Transfer-Encoding", "chunked")], null, RawFraming: Encoding.ASCII.GetBytes(framing)),
            TestContext.Current.CancellationToken);

        Assert.NotNull(response);
        Assert.Equal(400, response.Status);
        Assert.StartsWith(GatewayHost.ScimMediaType, response.Header("content-type"), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"400\"", response.BodyText, StringComparison.Ordinal);
        Assert.Contains(gateway.Logs.Lines, l => l.EventId.Id == 1200 && l.Level == LogLevel.Information);
        Assert.DoesNotContain(gateway.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_client_that_stops_mid_body_gets_nothing_or_a_4xx_and_no_warning()
    {
        await using var gateway = new StandaloneGateway(createDemoTenant: false);
        await gateway.InitializeAsync();
        var token = await gateway.AddTenantAsync("aborts");

        var response = await RawHttp.SendAsync(
            gateway.Address,
            new RawRequest("POST", "/scim/aborts/v2/Users", [("Authorization", "Bearer " + token), ("Content-Type", GatewayHost.ScimMediaType), ("Content-Length", "5000")], Encoding.UTF8.GetBytes("{\"userName\":"), HalfClose: true),
            TestContext.Current.CancellationToken);

        Assert.True(response is null || response.Status is >= 400 and < 500, $"answered {response?.Status}");
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(gateway.Logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal(0, (int)(await gateway.QueryAsync("aborts", token, "userName pr"))["totalResults"]!);
    }
}
