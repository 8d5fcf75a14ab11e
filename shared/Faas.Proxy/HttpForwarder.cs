using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Proxy;

/// <summary>
/// Relays one HTTP request to an upstream and its response back, streaming both bodies, dropping
/// hop-by-hop headers and passing WebSocket (and other) upgrades through as a raw two-way byte stream.
/// It never writes an error itself: it returns a <see cref="ForwardResult"/> and leaves the answer to the
/// caller, who alone knows whether to retry elsewhere, which status to use and how to word it.
/// </summary>
public static class HttpForwarder
{
    /// <param name="cancellationToken">Cancelled at the caller's deadline or when the client goes away.</param>
    /// <remarks>Awaited once by the caller: its async state is pooled (a box per request was a tenth of the proxy's allocations).</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamTarget target, UpstreamClient client, ForwardOptions options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgrade?.IsUpgradableRequest == true;
        var canHaveBody = !isUpgrade && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0);

        ReadOnlyMemory<byte>? bufferedBody = null;
        if (canHaveBody && options.BufferRequestBody)
        {
            try
            {
                bufferedBody = await BufferBodyAsync(request, cancellationToken);
            }
            catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return ForwardResult.RequestTooLarge;
            }

            if (bufferedBody is null)
            {
                return ForwardResult.Aborted;
            }
        }

        var exchange = new Exchange(context, target, options, isUpgrade ? upgrade : null, bufferedBody)
        {
            Framing = !canHaveBody ? RequestBody.None
                : bufferedBody is not null || request.ContentLength is not null ? RequestBody.ContentLength
                : RequestBody.Chunked,
            Length = bufferedBody?.Length ?? request.ContentLength,
        };
        var pool = client.PoolFor(target.Host, target.Port);
        for (var attempt = 0; ; attempt++)
        {
            UpstreamConnection connection;
            try
            {
                connection = await pool.RentAsync(fresh: attempt > 0, cancellationToken);
            }
            catch (Exception error) when (error is SocketException or OperationCanceledException)
            {
                return context.RequestAborted.IsCancellationRequested ? ForwardResult.Aborted
                    : cancellationToken.IsCancellationRequested ? ForwardResult.Timeout
                    : ForwardResult.ConnectFailed;
            }

            if (await exchange.RunAsync(connection, pool, cancellationToken) is { } result)
            {
                return result;
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>?> BufferBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
        catch (Exception error) when (error is IOException or OperationCanceledException || error is BadHttpRequestException { StatusCode: not StatusCodes.Status413PayloadTooLarge })
        {
            return null;
        }
    }

    /// <summary>
    /// One request/response exchange on one connection. Null means a reused keep-alive connection turned out
    /// stale before anything was exchanged, so the request may be sent again on a new connection.
    /// </summary>
    private sealed class Exchange(HttpContext context, UpstreamTarget target, ForwardOptions options, IHttpUpgradeFeature? upgrade, ReadOnlyMemory<byte>? bufferedBody)
    {
        private bool _bodyStarted;
        private bool _bodyTooLarge;

        public required RequestBody Framing { get; init; }

        public required long? Length { get; init; }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<ForwardResult?> RunAsync(UpstreamConnection connection, ConnectionPool pool, CancellationToken cancellationToken)
        {
            var abort = cancellationToken.Register(static c => ((UpstreamConnection)c!).Abort(), connection);
            using var bodyCancel = Framing != RequestBody.None && bufferedBody is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
            Task? sendBody = null;
            ResponseHead head;
            try
            {
                using (var writer = new RequestHeadWriter())
                {
                    var added = options.AddRequestHeaders?.Invoke(context) ?? [];
                    RequestSender.WriteHead(writer, context, target, Framing, Length, added, upgrade is not null);
                    await connection.SendAsync(writer.Written, cancellationToken);
                }

                if (bufferedBody is { } body)
                {
                    await connection.SendAsync(body, cancellationToken);
                }
                else if (bodyCancel is not null)
                {
                    sendBody = SendBodyAsync(connection, bodyCancel.Token);
                }

                head = await connection.ReadHeadAsync(HttpMethods.IsHead(context.Request.Method), cancellationToken);
            }
            catch (Exception error) when (IsTransportFailure(error))
            {
                abort.Dispose();
                connection.Dispose();
                await ObserveAsync(sendBody);
                if (_bodyTooLarge)
                {
                    return ForwardResult.RequestTooLarge;
                }

                if (context.RequestAborted.IsCancellationRequested)
                {
                    return ForwardResult.Aborted;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return ForwardResult.Timeout;
                }

                return connection.IsReused && !connection.ReceivedResponseBytes && !_bodyStarted && error is not UpstreamProtocolException
                    ? null
                    : ForwardResult.UpstreamFailed;
            }

            if (head.StatusCode == 101)
            {
                abort.Dispose();
                if (upgrade is null)
                {
                    connection.Dispose();
                    return ForwardResult.UpstreamFailed;
                }

                ResponseRelay.CopyHead(context, head, keepUpgrade: true);
                options.OnResponseStarting?.Invoke(context);
                await ResponseRelay.TunnelAsync(context, upgrade, connection);
                return ForwardResult.Success;
            }

            ResponseRelay.CopyHead(context, head, keepUpgrade: false);
            options.OnResponseStarting?.Invoke(context);
            try
            {
                await ResponseRelay.CopyBodyAsync(connection, context.Response, cancellationToken);
            }
            catch (Exception error) when (IsTransportFailure(error) || error is InvalidOperationException)
            {
                abort.Dispose();
                connection.Dispose();
                await ObserveAsync(sendBody);
                if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    context.Response.Clear();
                    return _bodyTooLarge ? ForwardResult.RequestTooLarge
                        : cancellationToken.IsCancellationRequested ? ForwardResult.Timeout
                        : ForwardResult.UpstreamFailed;
                }

                context.Abort();
                return ForwardResult.Aborted;
            }

            abort.Dispose();
            var bodySent = true;
            if (sendBody is not null)
            {
                if (!sendBody.IsCompleted)
                {
                    // The upstream answered without reading the whole request body: this connection is spent.
                    await bodyCancel!.CancelAsync();
                }

                bodySent = await ObserveAsync(sendBody);
            }

            if (bodySent && connection.CanBeReused)
            {
                pool.Return(connection);
            }
            else
            {
                connection.Dispose();
            }

            return ForwardResult.Success;
        }

        /// <summary>
        /// Relays the request body. If it turns out too large the upstream connection is dropped at once, so the
        /// upstream does not wait for the rest and the caller can answer 413.
        /// </summary>
        private async Task SendBodyAsync(UpstreamConnection connection, CancellationToken cancellationToken)
        {
            try
            {
                await RequestSender.SendBodyAsync(connection, context.Request.Body, Framing, () => _bodyStarted = true, cancellationToken);
            }
            catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                _bodyTooLarge = true;
                connection.Abort();
                throw;
            }
        }

        private static bool IsTransportFailure(Exception error) =>
            error is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

        /// <summary>Waits for the body sender; true if it sent the whole body.</summary>
        private static async Task<bool> ObserveAsync(Task? sendBody)
        {
            if (sendBody is null)
            {
                return true;
            }

            try
            {
                await sendBody;
                return true;
            }
            catch (Exception error) when (IsTransportFailure(error) || error is BadHttpRequestException)
            {
                return false;
            }
        }
    }
}
