using System.Globalization;
using Faas.Conventions;
using Faas.Gateway.Calls;
using Faas.Gateway.Configuration;
using Faas.Gateway.Http;
using Faas.Provider;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Async;

/// <summary>
/// <c>POST /async-function/NAME[.NAMESPACE]/PATH</c>: 202 with <c>X-Call-Id</c> once the queue has stored the request.
/// 404 at once for an unknown function, 400 for a call id or callback URL that cannot be used, 413 over the body
/// limit, 503 with <c>Retry-After</c> within <c>Async:EnqueueTimeout</c> while the queue is unavailable.
/// <c>DELETE /async-function/CALL-ID</c> cancels a request still waiting: 204; 404 if none waits by that id; 409 if a
/// worker has taken it.
/// </summary>
internal static class AsyncRoute
{
    private const string CallbackHeader = "X-Callback-Url";

    /// <summary>What a 503 asks the client to wait: about one reconnection attempt.</summary>
    private const int RetryAfterSeconds = 5;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/async-function/{function}", EnqueueAsync);
        app.MapPost("/async-function/{function}/{**rest}", EnqueueAsync);
        app.MapDelete("/async-function/{callId}", CancelAsync);
    }

    private static async Task EnqueueAsync(HttpContext context, string function, IFunctionProvider provider, IAsyncQueue queue, IOptions<AsyncOptions> options,
        CallbackTargets callbackTargets)
    {
        var key = FunctionRoute.Parse(function);
        var headers = context.Request.Headers;
        var callId = headers[InvocationHeaders.CallId] is { Count: > 0 } given ? given.ToString() : CallId.New();
        var callback = headers[CallbackHeader] is { Count: > 0 } url ? url.ToString() : null;
        if ((CallId.Check(callId) ?? CheckCallback(callback, callbackTargets)) is { } problem)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        await provider.GetAsync(key.Name, key.Namespace, context.RequestAborted);

        var limit = options.Value.MaxBodySize;
        var body = await ReadBodyAsync(context, limit);
        if (body is null)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the request body for {key} is over the async limit of {limit} bytes");
            return;
        }

        var request = new AsyncRequest
        {
            CallId = callId,
            Function = key,
            Method = HttpMethods.Post,
            PathAndQuery = FunctionRoute.Rest(context, "/async-function/" + function),
            Headers = [.. headers.Where(h => !Skipped(h.Key)).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))],
            Body = body,
            CallbackUrl = callback,
            AcceptedAt = DateTimeOffset.UtcNow,
        };
        try
        {
            await queue.EnqueueAsync(request, context.RequestAborted);
        }
        catch (QueueUnavailableException error)
        {
            await UnavailableAsync(context, key, error.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers[InvocationHeaders.CallId] = request.CallId;
    }

    private static async Task CancelAsync(HttpContext context, string callId, IAsyncQueue queue)
    {
        if (CallId.Check(callId) is { } problem)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        CancelOutcome outcome;
        try
        {
            outcome = await queue.CancelAsync(callId, context.RequestAborted);
        }
        catch (QueueUnavailableException error)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await PlainTextError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, error.Message);
            return;
        }

        switch (outcome)
        {
            case CancelOutcome.Cancelled:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case CancelOutcome.Started:
                await PlainTextError.WriteAsync(context, StatusCodes.Status409Conflict, $"call {callId} has already been taken by a worker: it can no longer be cancelled");
                break;
            default:
                await PlainTextError.WriteAsync(context, StatusCodes.Status404NotFound, $"no queued request with call id {callId}");
                break;
        }
    }

    /// <summary>
    /// Null if <paramref name="callback"/> is absent, or an absolute http or https URL whose host is not an address callbacks
    /// may not reach; else the 400 message. A host name is checked when the callback connects (see <see cref="CallbackTargets"/>).
    /// </summary>
    private static string? CheckCallback(string? callback, CallbackTargets targets)
    {
        if (callback is null)
        {
            return null;
        }

        if (!Uri.TryCreate(callback, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return $"{CallbackHeader} \"{callback}\" is not an absolute http or https URL";
        }

        return targets.Check(uri) is { } refused ? $"{CallbackHeader} \"{callback}\" is refused: {refused}" : null;
    }

    private static Task UnavailableAsync(HttpContext context, FunctionKey key, string problem)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return PlainTextError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"async invocation of {key} is unavailable: {problem}");
    }

    /// <summary>The whole body, or null if it is over <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static bool Skipped(string name) =>
        name.StartsWith(':') || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
        name.Equals(CallbackHeader, StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
}
