using System.Globalization;
using System.Net.Http.Headers;

namespace Faas.Gateway.Async;

/// <summary>
/// POSTs an async call's result to its <c>X-Callback-Url</c> with OpenFaaS' headers (<c>X-Call-Id</c>,
/// <c>X-Function-Name</c>, <c>X-Function-Status</c>, <c>X-Duration-Seconds</c>), trying three times with backoff.
/// </summary>
internal sealed partial class CallbackSender(ILogger<CallbackSender> log) : IDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// True once the callback's receiver answered (any status below 500), or when the call has no callback; false when
    /// every try failed (no connection, or 5xx), so the caller keeps the result instead of dropping it.
    /// </summary>
    public async Task<bool> SendAsync(AsyncRequest request, AsyncResult result, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (request.CallbackUrl is not { } url)
        {
            return true;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var content = new ReadOnlyMemoryContent(result.Body);
                if (result.ContentType is not null && MediaTypeHeaderValue.TryParse(result.ContentType, out var type))
                {
                    content.Headers.ContentType = type;
                }

                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                message.Headers.Add("X-Call-Id", request.CallId);
                message.Headers.Add("X-Function-Name", request.Function.Name);
                message.Headers.Add("X-Function-Status", result.Status.ToString(CultureInfo.InvariantCulture));
                message.Headers.Add("X-Duration-Seconds", duration.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
                using var response = await _client.SendAsync(message, cancellationToken);
                if ((int)response.StatusCode < 500)
                {
                    return true;
                }

                LogAnswered(log, request.CallId, url, (int)response.StatusCode);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogFailed(log, request.CallId, url, error.Message);
            }

            if (attempt >= Backoff.Length)
            {
                return false;
            }

            await Task.Delay(Backoff[attempt], cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for {CallId} to {Url} answered {Status}")]
    private static partial void LogAnswered(ILogger logger, string callId, string url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for {CallId} to {Url} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string callId, string url, string error);
}
