using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Faas.Gateway.Calls;

/// <summary>
/// Invokes functions for the gateway itself (the queue worker, cron and topic triggers) through its own
/// <c>/function/</c> route on loopback, so such a call takes exactly the path of any other: scale from zero, balancing,
/// timeouts, metrics, tracing.
/// </summary>
internal sealed class InternalInvoker(IServer server, Faas.Gateway.Security.InternalCaller internalCaller) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private string? _baseUrl;

    /// <param name="pathAndQuery">What follows <c>/function/NAME</c>: empty or starting with <c>/</c> or <c>?</c>.</param>
    public async Task<HttpResponseMessage> InvokeAsync(Faas.Provider.FunctionKey function, HttpMethod method, HttpContent? body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken, string pathAndQuery = "")
    {
        using var request = new HttpRequestMessage(method, $"{BaseUrl}/function/{function.Name}.{function.Namespace}{pathAndQuery}") { Content = body };
        request.Headers.Add(Faas.Gateway.Security.InternalCaller.Header, internalCaller.Token);
        foreach (var (name, value) in headers.Where(header => !header.Key.Equals(Faas.Gateway.Security.InternalCaller.Header, StringComparison.OrdinalIgnoreCase)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The address the gateway listens on, with a wildcard host replaced by loopback.</summary>
    private string BaseUrl => _baseUrl ??= server.Features.Get<IServerAddressesFeature>()?.Addresses
        .Select(address => new UriBuilder(address))
        .Select(uri =>
        {
            if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost")
            {
                uri.Host = "127.0.0.1";
            }

            return uri.Uri.ToString().TrimEnd('/');
        })
        .FirstOrDefault() ?? throw new InvalidOperationException("the gateway is not listening yet");
}
