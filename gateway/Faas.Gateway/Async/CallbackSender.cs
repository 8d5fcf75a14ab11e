using System.Globalization;
using System.Net.Http.Headers;
using Faas.Conventions;

namespace Faas.Gateway.Async;

/// <summary>
/// POSTs an async call's result to its <c>X-Callback-Url</c> with OpenFaaS' headers (<c>X-Call-Id</c>,
/// <c>X-Function-Name</c>, <c>X-Function-Status</c>, <c>X-Duration-Seconds</c>), trying three times with backoff. It
/// connects only to addresses <see cref="CallbackTargets"/> allows and does not follow redirects, which could lead it
/// anywhere: a 3xx is the receiver's answer.
/// </summary>
internal sealed partial class CallbackSender(CallbackTargets targets, ILogger<CallbackSender> log) : IDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = targets.ConnectAsync,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Null once the callback's receiver answered (any status below 500), or when the call has no callback; otherwise why
    /// it was not delivered (every try failed, with no connection or a 5xx, or its address is refused), so the caller
    /// keeps the result instead of dropping it.
    /// </summary>
    public async Task<string?> SendAsync(AsyncRequest request, AsyncResult result, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (request.CallbackUrl is not { } url)
        {
            return null;
        }

        string problem;
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
                message.Headers.Add(InvocationHeaders.CallId, request.CallId);
                message.Headers.Add("X-Function-Name", request.Function.Name);
                message.Headers.Add("X-Function-Status", result.Status.ToString(CultureInfo.InvariantCulture));
                message.Headers.Add(InvocationHeaders.DurationSeconds, duration.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
                using var response = await _client.SendAsync(message, cancellationToken);
                if ((int)response.StatusCode < 500)
                {
                    return null;
                }

                LogAnswered(log, request.CallId, url, (int)response.StatusCode);
                problem = $"it answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException error) when (error.InnerException is CallbackRefusedException refused)
            {
                LogFailed(log, request.CallId, url, refused.Message);
                return refused.Message;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogFailed(log, request.CallId, url, error.Message);
                problem = error.Message;
            }

            if (attempt >= Backoff.Length)
            {
                return problem;
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
