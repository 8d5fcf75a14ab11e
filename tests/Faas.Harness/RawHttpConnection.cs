using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Faas.Harness;

/// <summary>
/// One HTTP/1.1 connection on loopback driven byte by byte: for tests that need control over what shares a connection,
/// how a request is split into packets, or pipelining, which HttpClient does not give.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private NetworkStream _stream = null!;
    private StreamBytes _reader = null!;

    public static async Task<RawHttpConnection> ConnectAsync(int port)
    {
        var connection = new RawHttpConnection();
        await connection._client.ConnectAsync("127.0.0.1", port);
        connection._stream = connection._client.GetStream();
        connection._reader = new StreamBytes(connection._stream);
        return connection;
    }

    public async Task SendAsync(string raw)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        await _stream.FlushAsync();
    }

    /// <summary>Reads one response (Content-Length, chunked, or no body for 1xx/204/304).</summary>
    public async Task<RawResponse> ReadResponseAsync()
    {
        var head = await _reader.ReadUntilAsync("\r\n\r\n") ?? throw new IOException("the connection closed before a response");
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).Select(parts => (Name: parts[0], Value: parts[1].Trim())).ToList();
        string Header(string name) => headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? "";

        var body = new StringBuilder();
        if (Header("Transfer-Encoding").Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = Convert.ToInt32((await _reader.ReadUntilAsync("\r\n"))!.Split(';')[0], 16);
                if (size == 0)
                {
                    await _reader.ReadUntilAsync("\r\n");
                    break;
                }

                body.Append(Encoding.Latin1.GetString(await _reader.ReadBytesAsync(size)));
                await _reader.ReadUntilAsync("\r\n");
            }
        }
        else if (Header("Content-Length") is { Length: > 0 } length)
        {
            body.Append(Encoding.Latin1.GetString(await _reader.ReadBytesAsync(int.Parse(length, CultureInfo.InvariantCulture))));
        }

        return new RawResponse(status, headers, body.ToString());
    }

    /// <summary>True once the server has closed its side (reads return end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            var buffer = new byte[1];
            return _reader.IsEmpty && await _stream.ReadAsync(buffer, wait.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes the connection with a reset (RST) instead of an orderly close, as wrk and browsers often do.</summary>
    public void Reset()
    {
        _client.Client.Close(timeout: 0);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A response as read off the wire: header fields in order, body de-chunked.</summary>
public sealed record RawResponse(int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
