using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Veritas.Scim.Gateway.Tests.Infrastructure;

/// <summary>A tiny Kestrel app on loopback standing in for the legacy archive's web endpoint; it records every request.</summary>
public sealed class LegacyArchiveStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LegacyArchiveStub(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>"METHOD path?query" of every request received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public static async Task<LegacyArchiveStub> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LegacyArchiveStub? stub = null;
        app.Run(async context =>
        {
            var line = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}";
            stub!.Received.Enqueue(line);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("legacy archive: " + line, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new LegacyArchiveStub(app, new Uri(address));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
