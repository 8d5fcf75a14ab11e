using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Faas.Proxy.FastPath;

/// <summary>
/// A fast-path connection's responses sent straight on the client's socket: written into a pooled buffer and sent at
/// each flush, which completes once the socket took every byte. Kestrel's output pipe would add a memory-pool block,
/// the pipe's locks and a turn of its send loop per response. Kestrel's pipe stays untouched until a request is handed
/// over, and by then nothing is buffered or being sent here, so the client's bytes stay in order.
/// </summary>
internal sealed class SocketOutput(Socket socket) : PipeWriter
{
    private const int MinimumSize = 4096;

    private byte[]? _buffer;
    private int _written;
    private bool _completed;

    public override void Advance(int bytes)
    {
        if (_buffer is null || bytes < 0 || _written + bytes > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "advanced past the memory handed out");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    /// <summary>Flushes are not left pending (a send is cancelled through the flush's token), so there is nothing to cancel.</summary>
    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        Release();
    }

    /// <summary>Sends what was written. A socket that failed or was closed is the client gone: the result says completed.</summary>
    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_written == 0 || _completed)
        {
            Release();
            return new FlushResult(isCanceled: false, isCompleted: _completed);
        }

        try
        {
            await socket.SendAsync(_buffer.AsMemory(0, _written), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return new FlushResult(isCanceled: false, isCompleted: false);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            _completed = true;
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            // Sent, or lost with the connection (a cancelled send may have sent part): never sent again.
            Release();
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_buffer is null || needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumSize));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _written).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        return _buffer;
    }

    /// <summary>Between responses the connection holds no buffer: idle keep-alive connections cost nothing here.</summary>
    private void Release()
    {
        _written = 0;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
