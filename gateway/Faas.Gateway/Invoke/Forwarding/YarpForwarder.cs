using System.Net;
using System.Net.Sockets;
using Faas.Proxy;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Faas.Gateway.Invoke.Forwarding;

/// <summary>
/// YARP's <see cref="IHttpForwarder"/> (HttpClient's pooled connections underneath), with the same added request
/// headers and response callback as ours, its errors mapped to <see cref="ForwardResult"/>.
/// </summary>
internal sealed class YarpForwarder(IHttpForwarder forwarder) : IReplicaForwarder, IDisposable
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        // The caller's deadline token bounds the call; YARP's own idle timeout stays out of its way.
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamTarget target, ForwardOptions options, CancellationToken cancellationToken)
    {
        var prefix = $"http://{target.Host}:{target.Port}";
        var error = await forwarder.SendAsync(context, prefix, _client, RequestConfig, new Transformer(prefix + target.PathAndQuery, options), cancellationToken);
        return error switch
        {
            ForwarderError.None => ForwardResult.Success,
            _ when cancellationToken.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested => ForwardResult.Timeout,
            ForwarderError.RequestTimedOut => ForwardResult.Timeout,
            ForwarderError.Request when context.Features.Get<IForwarderErrorFeature>()?.Exception is { } failure && IsConnectFailure(failure) => ForwardResult.ConnectFailed,
            ForwarderError.RequestBodyClient when context.Features.Get<IForwarderErrorFeature>()?.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ForwardResult.RequestTooLarge,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled
                or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => ForwardResult.Aborted,
            _ => ForwardResult.UpstreamFailed,
        };
    }

    public void Dispose() => _client.Dispose();

    private static bool IsConnectFailure(Exception failure) =>
        failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } || failure.InnerException is SocketException;

    /// <summary>YARP's default copying, then the target path and the caller's headers in; the caller's callback before the response starts.</summary>
    private sealed class Transformer(string uri, ForwardOptions options) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = new Uri(uri, UriKind.Absolute);
            foreach (var (name, value) in options.AddRequestHeaders?.Invoke(httpContext) ?? [])
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Headers.TryAddWithoutValidation(name, value);
            }
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            if (proxyResponse is not null)
            {
                options.OnResponseStarting?.Invoke(httpContext);
            }

            return proceed;
        }
    }
}
