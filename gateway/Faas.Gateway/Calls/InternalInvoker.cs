using Faas.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Calls;

/// <summary>
/// Invokes functions for the gateway itself (the queue worker, cron and topic triggers) through its own
/// <c>/function/</c> route on loopback, so such a call takes exactly the path of any other: scale from zero, balancing,
/// timeouts, metrics, tracing. The response is held in memory, so it is bounded like an async request's body
/// (<c>Async:MaxBodySize</c>): a function answering gigabytes must not take the gateway's memory with it.
/// </summary>
internal sealed class InternalInvoker(IServer server, Faas.Gateway.Security.InternalCaller internalCaller, IOptions<AsyncOptions> options) : IDisposable
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

        var limit = options.Value.MaxBodySize;
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(limit, cancellationToken);
            return response;
        }
        catch (HttpRequestException error) when (error.InnerException is null)
        {
            // Over the limit (a transport failure comes wrapped around its IOException).
            response.Dispose();
            throw new HttpRequestException($"its response is over the limit of {limit} bytes the gateway holds for a call it makes itself (Async:MaxBodySize)", error);
        }
        catch
        {
            response.Dispose();
            throw;
        }
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
