using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>Whether a Docker engine answers, decided quickly: a fixture must skip, not hang, without one.</summary>
internal static class DockerEngine
{
    private const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>Null when an engine answered /_ping within the timeout; otherwise why not.</summary>
    public static async Task<string?> WhyNotAvailableAsync(TimeSpan timeout)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint endpoint;
        if (string.IsNullOrWhiteSpace(host))
        {
            if (!File.Exists(DefaultSocket))
            {
                return $"no Docker engine (DOCKER_HOST is not set and {DefaultSocket} does not exist)";
            }

            endpoint = new UnixDomainSocketEndPoint(DefaultSocket);
        }
        else if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            endpoint = new UnixDomainSocketEndPoint(host["unix://".Length..]);
        }
        else if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            endpoint = new DnsEndPoint(uri.Host, uri.Port);
        }
        else
        {
            return $"DOCKER_HOST '{host}' is not a unix:// or tcp:// address this check can ping";
        }

        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            using var socket = endpoint is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, deadline.Token);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, deadline.Token);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.Contains(" 200 ", StringComparison.Ordinal)
                ? null
                : $"the Docker engine at {host ?? DefaultSocket} did not answer /_ping with 200";
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
        {
            return $"no Docker engine answered at {host ?? DefaultSocket} within {timeout.TotalSeconds:0.#} s ({exception.GetType().Name})";
        }
    }
}
