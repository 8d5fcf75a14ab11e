using Faas.Gateway.Admin;
using Faas.Gateway.Invoke;
using Faas.Provider;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Async;

/// <summary>
/// <c>POST /async-function/NAME[.NAMESPACE]/PATH</c>: 202 with <c>X-Call-Id</c> once the queue has stored the request
/// (404 at once for an unknown function, 413 over the body limit, 503 if the queue is unavailable).
/// <c>DELETE /async-function/CALL-ID</c> cancels a request still waiting: 204, or 404.
/// </summary>
public static class AsyncRoute
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/async-function/{function}", EnqueueAsync);
        app.MapPost("/async-function/{function}/{**rest}", EnqueueAsync);
        app.MapDelete("/async-function/{callId}", CancelAsync);
    }

    private static async Task EnqueueAsync(HttpContext context, string function, IFunctionProvider provider, IAsyncQueue queue, IOptions<AsyncOptions> options)
    {
        var key = FunctionRoute.Parse(function);
        await provider.GetAsync(key.Name, key.Namespace, context.RequestAborted);
        var limit = options.Value.MaxBodySize;
        var body = await ReadBodyAsync(context, limit);
        if (body is null)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the request body for {key} is over the async limit of {limit} bytes");
            return;
        }

        var headers = context.Request.Headers;
        var request = new AsyncRequest
        {
            CallId = headers["X-Call-Id"] is { Count: > 0 } given ? given.ToString() : CallId.New(),
            Function = key,
            Method = HttpMethods.Post,
            PathAndQuery = FunctionRoute.Rest(context, "/async-function/" + function),
            Headers = [.. headers.Where(h => !Skipped(h.Key)).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))],
            Body = body,
            CallbackUrl = headers["X-Callback-Url"] is { Count: > 0 } callback ? callback.ToString() : null,
            AcceptedAt = DateTimeOffset.UtcNow,
        };
        try
        {
            await queue.EnqueueAsync(request, context.RequestAborted);
        }
        catch (Faas.Nats.NatsException error)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"the async queue could not store the request for {key}: {error.Message}");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers["X-Call-Id"] = request.CallId;
    }

    private static async Task CancelAsync(HttpContext context, string callId, IAsyncQueue queue)
    {
        if (await queue.CancelAsync(callId, context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await PlainTextError.WriteAsync(context, StatusCodes.Status404NotFound, $"no queued request with call id {callId}");
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
        name.Equals("X-Callback-Url", StringComparison.OrdinalIgnoreCase) || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
}
