using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// One HTTP/1.1 request written byte for byte, as a hostile client would (header values with
/// CR/LF, broken chunked framing, invalid UTF-8, any request target): HttpClient refuses to send
/// most of these. The request ends with <c>Connection: close</c> unless it says otherwise;
/// <see cref="HalfClose"/> stops sending after it, as a client that gives up mid-body does
/// (Kestrel then aborts the request).
/// </summary>
public sealed record RawRequest(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, bool Chunked = false, byte[]? RawFraming = null, bool HalfClose = false)
{
    public string Describe() =>
        $"{Method} {Target} [{string.Join("; ", Headers.Select(h => h.Name + ": " + (h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? "<token>" : Shorten(h.Value))))}] body: {Shorten(Body is null ? string.Empty : Encoding.UTF8.GetString(Body))}";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"…({text.Length} chars)";
}

/// <summary>What came back: status, headers (names lower-cased) and the decoded body.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string AllHeaderText => string.Join("\n", Headers.Select(h => h.Name + ": " + h.Value));
}

public static class RawHttp
{
    public static async Task<RawResponse?> SendAsync(Uri server, RawRequest request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = client.GetStream();
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{request.Method} {request.Target} HTTP/1.1\r\n");
        if (!request.Headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n");
        }

        foreach (var (name, value) in request.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (!request.Headers.Any(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Connection: close\r\n");
        }

        var body = request.Body ?? [];
        if (request.RawFraming is not null)
        {
            head.Append("\r\n");
            body = request.RawFraming;
        }
        else if (request.Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            body = [.. Encoding.ASCII.GetBytes(body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), .. body, .. "\r\n0\r\n\r\n"u8.ToArray()];
        }
        else
        {
            if (request.Body is not null && !request.Headers.Any(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
            }

            head.Append("\r\n");
        }

        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
            await stream.WriteAsync(body, cancellationToken);
            if (request.HalfClose)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may refuse and close before the whole request is written; read what it said.
        }

        using var received = new MemoryStream();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await stream.CopyToAsync(received, patience.Token);
        }
        catch (IOException)
        {
            // A reset after the answer: keep what arrived.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException("The gateway neither answered nor closed within 30 s.");
        }

        return Parse(received.ToArray());
    }

    /// <summary>Null when the server closed without answering (allowed for a request it cannot read).</summary>
    private static RawResponse? Parse(byte[] data)
    {
        // Skip interim answers (100 Continue) to the final one.
        while (data.AsSpan().StartsWith("HTTP/1.1 1"u8) && IndexOf(data, "\r\n\r\n"u8, 0) is var interim and >= 0)
        {
            data = data.AsSpan(interim + 4).ToArray();
        }

        var end = IndexOf(data, "\r\n\r\n"u8, 0);
        if (end < 0)
        {
            return data.Length == 0 ? null : throw new InvalidOperationException("Not an HTTP response: " + Encoding.Latin1.GetString(data));
        }

        var lines = Encoding.Latin1.GetString(data, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)].Trim().ToLowerInvariant(), l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
        var rest = data.AsSpan(end + 4).ToArray();
        var chunked = headers.Any(h => h.Item1 == "transfer-encoding" && h.Item2.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        return new RawResponse(status, headers, chunked ? Dechunk(rest) : rest);
    }

    private static byte[] Dechunk(byte[] data)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (position < data.Length)
        {
            var lineEnd = IndexOf(data, "\r\n"u8, position);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(data, position, lineEnd - position).Split(';')[0];
            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                break;
            }

            body.Write(data, lineEnd + 2, Math.Min(size, data.Length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }

        return body.ToArray();
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern, int from)
    {
        var index = data.AsSpan(from).IndexOf(pattern);
        return index < 0 ? -1 : from + index;
    }
}
