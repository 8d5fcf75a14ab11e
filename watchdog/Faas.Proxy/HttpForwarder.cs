using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Proxy;

/// <summary>
/// Relays one HTTP request to an upstream and its response back, streaming both bodies, dropping
/// hop-by-hop headers and passing WebSocket (and other) upgrades through as a raw two-way byte stream.
/// It never writes an error itself: it returns a <see cref="ForwardResult"/> and leaves the answer to the
/// caller, who alone knows whether to retry, which status to use and how to word it.
/// </summary>
public static class HttpForwarder
{
    private const int BufferSize = 64 * 1024;

    /// <summary>A pooled client for forwarding: no proxy, no redirects, no cookies, no decompression, no trace headers.</summary>
    public static HttpMessageInvoker CreateInvoker(TimeSpan connectTimeout) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        ActivityHeadersPropagator = null,
        EnableMultipleHttp2Connections = true,
    }, disposeHandler: true);

    /// <param name="destination">The upstream URL for this request, path and query included.</param>
    /// <param name="cancellationToken">Cancelled at the caller's deadline or when the client goes away.</param>
    public static async Task<ForwardResult> ForwardAsync(HttpContext context, Uri destination, HttpMessageInvoker invoker, ForwardOptions options, CancellationToken cancellationToken)
    {
        var upgradeFeature = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgradeFeature?.IsUpgradableRequest == true;
        using var request = await CreateRequestAsync(context, destination, options, isUpgrade, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return ForwardResult.Aborted;
        }

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException or IOException)
        {
            return Classify(error, context, request.Content, cancellationToken);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols && isUpgrade)
            {
                return await RelayUpgradeAsync(context, response, upgradeFeature!, options).ConfigureAwait(false);
            }

            CopyResponseHeaders(context, response, options);
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return ForwardResult.Success;
            }

            return await RelayBodyAsync(context, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HttpRequestMessage?> CreateRequestAsync(HttpContext context, Uri destination, ForwardOptions options, bool isUpgrade, CancellationToken cancellationToken)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), destination)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? incoming.ContentLength > 0;
        if (canHaveBody && !isUpgrade)
        {
            if (options.BufferRequestBody)
            {
                var buffered = new MemoryStream();
                try
                {
                    await incoming.Body.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or OperationCanceledException or BadHttpRequestException)
                {
                    request.Dispose();
                    return null;
                }

                request.Content = new ByteArrayContent(buffered.GetBuffer(), 0, (int)buffered.Length);
            }
            else
            {
                request.Content = new StreamingRequestContent(incoming.Body, incoming.ContentLength);
            }
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (name.StartsWith(':') || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) ||
                (HopByHopHeaders.Contains(name) && !(isUpgrade && IsUpgradeHeader(name))))
            {
                continue;
            }

            var added = values.Count == 1
                ? request.Headers.TryAddWithoutValidation(name, values[0])
                : request.Headers.TryAddWithoutValidation(name, values.ToArray());
            if (!added && request.Content is not null)
            {
                _ = values.Count == 1
                    ? request.Content.Headers.TryAddWithoutValidation(name, values[0])
                    : request.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        options.TransformRequest?.Invoke(context, request);
        return request;
    }

    private static bool IsUpgradeHeader(string name) =>
        string.Equals(name, "Upgrade", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Connection", StringComparison.OrdinalIgnoreCase);

    private static ForwardResult Classify(Exception error, HttpContext context, HttpContent? content, CancellationToken cancellationToken)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return ForwardResult.Aborted;
        }

        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return ForwardResult.Timeout;
        }

        var bodyStarted = content is StreamingRequestContent streaming && streaming.Started;
        if (error is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } && !bodyStarted)
        {
            return ForwardResult.ConnectFailed;
        }

        return ForwardResult.UpstreamFailed;
    }

    private static void CopyResponseHeaders(HttpContext context, HttpResponseMessage response, ForwardOptions options)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        CopyHeaders(response.Headers.NonValidated, outgoing, keepUpgrade: false);
        CopyHeaders(response.Content.Headers.NonValidated, outgoing, keepUpgrade: false);
        options.TransformResponse?.Invoke(context, response);
    }

    private static void CopyHeaders(HttpHeadersNonValidated headers, HttpResponse outgoing, bool keepUpgrade)
    {
        foreach (var (name, values) in headers)
        {
            if (HopByHopHeaders.Contains(name) && !(keepUpgrade && IsUpgradeHeader(name)))
            {
                continue;
            }

            outgoing.Headers[name] = values.Count == 1 ? values.ToString() : values.ToArray();
        }
    }

    private static async Task<ForwardResult> RelayBodyAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var upstream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                // Each write reaches the client at once (Kestrel's response stream flushes on write), so
                // server-sent events and other slow bodies stream without an explicit flush.
                var body = context.Response.Body;
                int read;
                while ((read = await upstream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return ForwardResult.Success;
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException or IOException)
        {
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                return error is OperationCanceledException ? ForwardResult.Timeout : ForwardResult.UpstreamFailed;
            }

            context.Abort();
            return ForwardResult.Aborted;
        }
    }

    private static async Task<ForwardResult> RelayUpgradeAsync(HttpContext context, HttpResponseMessage response, IHttpUpgradeFeature upgradeFeature, ForwardOptions options)
    {
        CopyHeaders(response.Headers.NonValidated, context.Response, keepUpgrade: true);
        options.TransformResponse?.Invoke(context, response);
        var upstream = await response.Content.ReadAsStreamAsync(CancellationToken.None).ConfigureAwait(false);
        await using var client = await upgradeFeature.UpgradeAsync().ConfigureAwait(false);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toUpstream = Pump(client, upstream, done);
        var toClient = Pump(upstream, client, done);
        await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(toUpstream, toClient).ConfigureAwait(false);
        await upstream.DisposeAsync().ConfigureAwait(false);
        return ForwardResult.Success;
    }

    private static async Task Pump(Stream source, Stream destination, CancellationTokenSource done)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, done.Token).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), done.Token).ConfigureAwait(false);
                await destination.FlushAsync(done.Token).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed: the tunnel is over.
        }
    }
}
