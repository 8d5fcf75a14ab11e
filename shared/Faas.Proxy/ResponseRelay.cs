using System.Buffers;
using System.Text;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Proxy;

/// <summary>Copies an upstream response to the client: status and end-to-end headers, then the body as it arrives.</summary>
internal static class ResponseRelay
{
    private const int BufferSize = 64 * 1024;

    public static void CopyHead(HttpContext context, ResponseHead head, bool keepUpgrade)
    {
        var response = context.Response;
        response.StatusCode = head.StatusCode;
        for (var i = 0; i < head.FieldCount; i++)
        {
            var field = head.Name(i);
            if (IsHopByHop(field, head, keepUpgrade) || (head.IsChunked && Ascii.EqualsIgnoreCase(field, "Content-Length"u8)))
            {
                continue;
            }

            var name = HeaderNames.Intern(field);
            var value = Encoding.Latin1.GetString(head.Value(i));
            if (response.Headers.TryGetValue(name, out var existing) && existing.Count > 0 && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[name] = Microsoft.Extensions.Primitives.StringValues.Concat(existing, value);
            }
            else
            {
                response.Headers[name] = value;
            }
        }
    }

    /// <summary>
    /// Streams the body; every write reaches the client at once (Kestrel's response stream flushes on write),
    /// so server-sent events pass without an explicit flush.
    /// </summary>
    public static async Task CopyBodyAsync(UpstreamConnection connection, HttpResponse response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await connection.ReadBodyAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>After a 101: a raw tunnel between client and upstream until either side closes.</summary>
    public static async Task TunnelAsync(HttpContext context, IHttpUpgradeFeature upgrade, UpstreamConnection connection)
    {
        await using var upstream = connection.DetachAsUpgradedStream();
        await using var client = await upgrade.UpgradeAsync().ConfigureAwait(false);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toUpstream = PumpAsync(client, upstream, done.Token);
        var toClient = PumpAsync(upstream, client, done.Token);
        await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        connection.Abort();
        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
    }

    private static bool IsHopByHop(ReadOnlySpan<byte> name, ResponseHead head, bool keepUpgrade) =>
        !(keepUpgrade && Ascii.EqualsIgnoreCase(name, "Upgrade"u8)) && head.IsHopByHop(name);

    private static async Task PumpAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // One side closed: the tunnel is over.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
