using System.Globalization;
using System.Net.Http.Headers;

namespace Faas.Gateway.Async;

/// <summary>
/// POSTs an async call's result to its <c>X-Callback-Url</c> with OpenFaaS' headers (<c>X-Call-Id</c>,
/// <c>X-Function-Name</c>, <c>X-Function-Status</c>, <c>X-Duration-Seconds</c>), trying three times with backoff.
/// </summary>
public sealed class CallbackSender(ILogger<CallbackSender> log) : IDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(30) };

    public async Task SendAsync(AsyncRequest request, int status, byte[] body, string? contentType, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (request.CallbackUrl is not { } url)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var type))
                {
                    content.Headers.ContentType = type;
                }

                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                message.Headers.Add("X-Call-Id", request.CallId);
                message.Headers.Add("X-Function-Name", request.Function.Name);
                message.Headers.Add("X-Function-Status", status.ToString(CultureInfo.InvariantCulture));
                message.Headers.Add("X-Duration-Seconds", duration.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
                using var response = await _client.SendAsync(message, cancellationToken);
                if ((int)response.StatusCode < 500)
                {
                    return;
                }

                log.LogWarning("Callback for {CallId} to {Url} answered {Status}", request.CallId, url, (int)response.StatusCode);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                log.LogWarning("Callback for {CallId} to {Url} failed: {Error}", request.CallId, url, error.Message);
            }

            if (attempt >= Backoff.Length)
            {
                return;
            }

            await Task.Delay(Backoff[attempt], cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();
}
