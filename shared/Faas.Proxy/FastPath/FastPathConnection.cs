using System.Buffers;
using System.IO.Pipelines;
using Faas.Proxy.Http1;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Faas.Proxy.FastPath;

/// <summary>Where the request at the head of a fast-path connection's input goes.</summary>
public enum FastPathRoute
{
    /// <summary>Not one the fast path takes (or not all here yet): Kestrel serves the rest of the connection.</summary>
    Kestrel,

    /// <summary>Head complete, body still arriving and small enough to wait for.</summary>
    Incomplete,

    /// <summary>Taken: the exchange serves it.</summary>
    Serve,
}

/// <summary>What a component does with the requests of one fast-path connection: it recognises them and serves them.</summary>
public interface IFastPathExchange
{
    /// <summary>Recognises the request at the head of <paramref name="input"/>; when served, <paramref name="length"/> is its size in bytes, head and body.</summary>
    FastPathRoute Parse(ReadOnlySpan<byte> input, out int length);

    /// <summary>Serves the request <see cref="Parse"/> took; false when the connection must be aborted (the client left, or a response broke after it started).</summary>
    ValueTask<bool> ServeAsync();
}

/// <summary>
/// One client connection on a fast path: Kestrel connection middleware that reads requests off the connection's pipe
/// and has an <see cref="IFastPathExchange"/> serve them in order, without Kestrel's HttpContext pipeline, until the
/// client leaves, it idles out, the server stops, or a request needs Kestrel. The first request the exchange does not
/// take hands the connection, bytes unread, to Kestrel for good, so everything unusual keeps Kestrel's behaviour.
/// </summary>
public sealed class FastPathConnection : IDisposable
{
    private const int GatheredSize = 8 * 1024;

    private readonly ConnectionContext _connection;
    private readonly KeepAliveMonitor _keepAlive;
    private readonly int _maxRequestSize;
    private readonly PipeWriter _output;
    private byte[]? _gathered;
    private volatile bool _closeRequested;

    private FastPathConnection(ConnectionContext connection, KeepAliveMonitor keepAlive, int maxRequestSize)
    {
        _connection = connection;
        _keepAlive = keepAlive;
        _maxRequestSize = maxRequestSize;
        Deadline = new ConnectionDeadline(connection.ConnectionClosed);
        // Not under TLS: the socket carries its records, not the plain bytes the fast path reads and writes.
        _output = connection.Features.Get<ITlsHandshakeFeature>() is null && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
            ? new SocketOutput(socket)
            : connection.Transport.Output;
    }

    /// <summary>Where responses are written: straight to the client's socket where the transport has one (see <see cref="SocketOutput"/>).</summary>
    public PipeWriter Output => _output;

    /// <summary>The connection's scratch buffer for response heads.</summary>
    public HeadBuffer ResponseHead { get; } = new();

    /// <summary>The deadline of the request being served.</summary>
    public ConnectionDeadline Deadline { get; }

    /// <summary>True once the server asked its connections to close (it is stopping): the response says <c>Connection: close</c>.</summary>
    public bool CloseRequested => _closeRequested;

    public bool ClientGone => _connection.ConnectionClosed.IsCancellationRequested;

    public ConnectionContext Context => _connection;

    /// <summary>
    /// The middleware: every connection starts on the fast path with an exchange of its own from
    /// <paramref name="newExchange"/>; <paramref name="kestrel"/> takes over those it hands on.
    /// </summary>
    /// <param name="maxRequestSize">The largest request (head and body) an exchange takes; the buffered bytes it is shown stop there.</param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(KeepAliveMonitor keepAlive, int maxRequestSize, Func<FastPathConnection, IFastPathExchange> newExchange) =>
        kestrel => async connection =>
        {
            bool handover;
            using (var fastPath = new FastPathConnection(connection, keepAlive, maxRequestSize))
            {
                handover = await fastPath.ServeUntilHandoverAsync(newExchange(fastPath));
            }

            if (handover)
            {
                await kestrel(connection);
            }
        };

    /// <summary>Writes a short text/plain answer (see <see cref="PlainResponse"/>) and sends it; false if the client is gone.</summary>
    public async ValueTask<bool> AnswerAsync(int status, string message, byte[] extraHeaders)
    {
        PlainResponse.Write(Output, ResponseHead, status, message, extraHeaders);
        var flushed = await Output.FlushAsync();
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    public void Abort() => _connection.Abort();

    public void Dispose()
    {
        Deadline.Dispose();
        (_output as SocketOutput)?.Complete();
    }

    /// <summary>True when a request needs Kestrel: the connection's unread bytes are left for it, and nothing here watches the connection any more.</summary>
    private async Task<bool> ServeUntilHandoverAsync(IFastPathExchange exchange)
    {
        var input = _connection.Transport.Input;
        using var closing = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((FastPathConnection)state!).OnCloseRequested(), this);
        using var keepAlive = _keepAlive.Track(input);
        while (true)
        {
            keepAlive.Idle();
            ReadResult read;
            try
            {
                read = await input.ReadAsync();
            }
            catch (Exception error) when (ClientLeft(error))
            {
                return false;
            }

            keepAlive.Busy();
            var buffer = read.Buffer;
            FastPathRoute route;
            int length;
            while (true)
            {
                if (read.IsCanceled || _closeRequested || (read.IsCompleted && buffer.IsEmpty))
                {
                    input.AdvanceTo(buffer.Start);
                    return false;
                }

                length = 0;
                route = read.IsCompleted ? FastPathRoute.Kestrel : exchange.Parse(Contiguous(buffer), out length);
                if (route != FastPathRoute.Incomplete)
                {
                    break;
                }

                // The head is here and the body is small: wait for the rest of it (Kestrel sets no body rate either).
                input.AdvanceTo(buffer.Start, buffer.End);
                try
                {
                    read = await input.ReadAsync();
                }
                catch (Exception error) when (ClientLeft(error))
                {
                    return false;
                }

                buffer = read.Buffer;
            }

            if (route == FastPathRoute.Kestrel)
            {
                input.AdvanceTo(buffer.Start);
                return true;
            }

            input.AdvanceTo(buffer.GetPosition(length));
            if (!await exchange.ServeAsync())
            {
                _connection.Abort();
                return false;
            }

            // A large request's buffers go with it: thousands of idle keep-alive connections must not each keep 64 KiB.
            if (_gathered is { Length: > HeadBuffer.RetainedCapacity })
            {
                _gathered = null;
            }
        }
    }

    /// <summary>
    /// A read failed because the client reset the connection, or it was aborted. A client leaving is no error (Kestrel's
    /// own path logs it at debug level); let through, Kestrel would log it as a failed connection.
    /// </summary>
    private static bool ClientLeft(Exception error) => error is IOException or ConnectionAbortedException;

    private void OnCloseRequested()
    {
        _closeRequested = true;
        _connection.Transport.Input.CancelPendingRead();
    }

    /// <summary>The buffered bytes as one span: a request that straddles the pipe's segments is gathered into a buffer of the connection's own.</summary>
    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan;
        }

        var length = (int)Math.Min(buffer.Length, _maxRequestSize);
        if (_gathered is null || _gathered.Length < length)
        {
            _gathered = new byte[Math.Max(length, GatheredSize)];
        }

        buffer.Slice(0, length).CopyTo(_gathered);
        return _gathered.AsSpan(0, length);
    }
}
