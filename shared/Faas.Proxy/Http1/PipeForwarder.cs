using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Faas.Proxy.Upstream;

namespace Faas.Proxy.Http1;

/// <summary>
/// Relays one complete request, already encoded for the upstream, and writes the upstream's response straight onto the
/// client connection's pipe: no HttpContext, no header dictionaries. It keeps <see cref="HttpForwarder"/>'s rules: a
/// reused connection that turns out stale before any response byte is retried once on a fresh one, hop-by-hop headers
/// are dropped, and nothing reaches the client before the first body bytes (or the end of an empty body) are in hand,
/// so an upstream that fails before then can still be answered with a 5xx by the caller.
/// </summary>
public static class PipeForwarder
{
    private const int BodyBufferSize = 16 * 1024;

    /// <param name="request">The whole request: head and body.</param>
    /// <param name="head">The connection's scratch buffer for the response head.</param>
    /// <param name="cancellationToken">Cancelled at the deadline or when the client goes away.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RelayOutcome> ForwardAsync(ReadOnlyMemory<byte> request, UpstreamClient client, string host, int port,
        PipeWriter output, HeadBuffer head, IResponseHeaderSource extraHeaders, CancellationToken cancellationToken)
    {
        var pool = client.PoolFor(host, port);
        for (var attempt = 0; ; attempt++)
        {
            UpstreamConnection connection;
            try
            {
                connection = await pool.RentAsync(fresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or OperationCanceledException)
            {
                return new(cancellationToken.IsCancellationRequested ? ForwardResult.Timeout : ForwardResult.ConnectFailed, 0, false, null);
            }

            RelayOutcome outcome;
            using (cancellationToken.UnsafeRegister(static c => ((UpstreamConnection)c!).Abort(), connection))
            {
                ResponseHead response;
                try
                {
                    await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    response = await connection.ReadHeadAsync(requestWasHead: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (IsTransportFailure(error) || error is UpstreamProtocolException)
                {
                    connection.Dispose();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return new(ForwardResult.Timeout, 0, false, null);
                    }

                    if (connection.IsReused && !connection.ReceivedResponseBytes && error is not UpstreamProtocolException)
                    {
                        continue;
                    }

                    return new(ForwardResult.UpstreamFailed, 0, false, null);
                }

                outcome = await RelayResponseAsync(connection, response, output, head, extraHeaders, cancellationToken).ConfigureAwait(false);
            }

            // Pooled only once the abort is unregistered: a deadline or a client leaving just after the response must not
            // abort the connection while another request holds it (it would fail with response bytes in, past retrying).
            if (outcome.Result == ForwardResult.Success && connection.CanBeReused)
            {
                pool.Return(connection);
            }
            else
            {
                connection.Dispose();
            }

            return outcome;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<RelayOutcome> RelayResponseAsync(UpstreamConnection connection, ResponseHead response,
        PipeWriter output, HeadBuffer head, IResponseHeaderSource extraHeaders, CancellationToken cancellationToken)
    {
        var noBody = response.StatusCode is 204 or 304;
        var chunked = !noBody && response.ContentLength is null;
        if (response.StatusCode == 101)
        {
            connection.Dispose();
            return new(ForwardResult.UpstreamFailed, 0, false, null);
        }

        ResponseHeadWriter.Write(head, response, chunked, extraHeaders);

        var buffer = ArrayPool<byte>.Shared.Rent(BodyBufferSize);
        var started = false;
        try
        {
            var read = await connection.ReadBodyAsync(buffer, cancellationToken).ConfigureAwait(false);
            output.Write(head.WrittenSpan);
            started = true;
            while (true)
            {
                WriteBody(output, buffer.AsSpan(0, read), chunked);
                if (read == 0)
                {
                    break;
                }

                // Flushed only when the next bytes are not already here: a streamed body reaches the client as produced,
                // a body that arrived whole goes out with its head in one send.
                var next = connection.ReadBodyAsync(buffer, cancellationToken);
                if (!next.IsCompleted && !await FlushAsync(output, cancellationToken).ConfigureAwait(false))
                {
                    await ObserveAsync(next).ConfigureAwait(false);
                    connection.Dispose();
                    return new(ForwardResult.Aborted, response.StatusCode, true, response.ContentLength);
                }

                read = await next.ConfigureAwait(false);
            }

            if (!await FlushAsync(output, cancellationToken).ConfigureAwait(false))
            {
                connection.Dispose();
                return new(ForwardResult.Aborted, response.StatusCode, true, response.ContentLength);
            }
        }
        catch (Exception error) when (IsTransportFailure(error) || error is UpstreamProtocolException)
        {
            connection.Dispose();
            if (started)
            {
                // The caller resets the connection next: what was written goes out first, so the client has the head and
                // the bytes that came (as on Kestrel's path) rather than no answer, which a client may take as one to retry.
                await FlushQuietlyAsync(output).ConfigureAwait(false);
                return new(ForwardResult.Aborted, response.StatusCode, true, response.ContentLength);
            }

            return new(cancellationToken.IsCancellationRequested ? ForwardResult.Timeout : ForwardResult.UpstreamFailed, 0, false, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new(ForwardResult.Success, response.StatusCode, true, response.ContentLength);
    }

    /// <summary>Body bytes in the client's framing; an empty span ends the body.</summary>
    private static void WriteBody(PipeWriter output, ReadOnlySpan<byte> data, bool chunked)
    {
        if (!chunked)
        {
            output.Write(data);
            return;
        }

        if (data.IsEmpty)
        {
            output.Write("0\r\n\r\n"u8);
            return;
        }

        var sizeLine = output.GetSpan(10);
        data.Length.TryFormat(sizeLine, out var digits, "X", System.Globalization.CultureInfo.InvariantCulture);
        sizeLine[digits] = (byte)'\r';
        sizeLine[digits + 1] = (byte)'\n';
        output.Advance(digits + 2);
        output.Write(data);
        output.Write("\r\n"u8);
    }

    /// <summary>False when the client is gone.</summary>
    private static async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    private static async ValueTask FlushQuietlyAsync(PipeWriter output)
    {
        try
        {
            await output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (IsTransportFailure(error) || error is InvalidOperationException)
        {
            // The client is gone too.
        }
    }

    private static async ValueTask ObserveAsync(ValueTask<int> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception error) when (IsTransportFailure(error) || error is UpstreamProtocolException)
        {
            // The client is gone; how the upstream read ended no longer matters.
        }
    }

    private static bool IsTransportFailure(Exception error) =>
        error is IOException or SocketException or OperationCanceledException or ObjectDisposedException;
}
