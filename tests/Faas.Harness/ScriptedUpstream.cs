using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Faas.Harness;

/// <summary>
/// A real TCP server on loopback that answers each connection with a script, byte for byte: for testing how
/// a client copes with exact (and broken) HTTP framing that a well-behaved server would never send.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public ScriptedUpstream(Func<ScriptedConnection, Task> script)
    {
        _script = script;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A script that answers every request on its connection with <paramref name="response"/>.</summary>
    public static Func<ScriptedConnection, Task> AnswerEach(string response) => async connection =>
    {
        while (await connection.ReadHeadAsync() is not null)
        {
            await connection.WriteAsync(response);
        }
    };

    /// <summary>
    /// An upstream whose first connection answers one request with <paramref name="response"/> and, once
    /// <paramref name="end"/> completes, is closed (a FIN, as by an idle timeout) or reset (an RST, as by a process that
    /// died): a pooled connection gone stale. Later connections answer every request.
    /// </summary>
    public static ScriptedUpstream FirstConnectionEnds(string response, Task end, bool reset)
    {
        var connections = 0;
        return new ScriptedUpstream(async connection =>
        {
            if (Interlocked.Increment(ref connections) > 1)
            {
                await AnswerEach(response)(connection);
                return;
            }

            await connection.ReadHeadAsync();
            await connection.WriteAsync(response);
            await end;
            if (reset)
            {
                connection.Reset();
            }
            else
            {
                connection.Close();
            }
        });
    }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request head received, in order.</summary>
    public List<string> RequestHeads { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await _script(new ScriptedConnection(client, this));
                    }
                    catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
                    {
                    }
                }
            });
        }
    }

    /// <summary>One accepted connection: read request heads and bodies, write raw bytes.</summary>
    public sealed class ScriptedConnection(TcpClient client, ScriptedUpstream server)
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly StreamBytes _reader = new(client.GetStream());

        /// <summary>Reads up to the end of the next request head; null if the client closed the connection.</summary>
        public async Task<string?> ReadHeadAsync()
        {
            var head = await _reader.ReadUntilAsync("\r\n\r\n");
            if (head is not null)
            {
                lock (server.RequestHeads)
                {
                    server.RequestHeads.Add(head);
                }
            }

            return head;
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes of body.</summary>
        public Task<byte[]> ReadBytesAsync(int count) => _reader.ReadBytesAsync(count);

        /// <summary>Reads until <paramref name="terminator"/> has been received, returning everything before it.</summary>
        public async Task<string> ReadUntilAsync(string terminator) =>
            await _reader.ReadUntilAsync(terminator) ?? throw new IOException("client closed before the terminator");

        public async Task WriteAsync(string raw)
        {
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
            await _stream.FlushAsync();
        }

        public void Close() => client.Close();

        /// <summary>Closes abortively (an RST), as a process that dies with the connection open does.</summary>
        public void Reset()
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
    }
}
