using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>Short plain-text answers for errors the watchdog itself produces (marked with X-OpenFaaS-Internal).</summary>
internal static class PlainText
{
    public const string InternalHeader = "X-OpenFaaS-Internal";

    public static Task WriteAsync(HttpContext context, int statusCode, string message, string? source = "watchdog")
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (source is not null)
        {
            context.Response.Headers[InternalHeader] = source;
        }

        return context.Response.WriteAsync(message + "\n", CancellationToken.None);
    }
}
