namespace Faas.Gateway.Http;

/// <summary>How the gateway answers a failure, as OpenFaaS does: a status code and a one-line plain-text body.</summary>
internal static class PlainTextError
{
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        // The rest of an oversized body is never read: the connection closes, and the client is told so rather than
        // finding out by reusing it.
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Headers.Connection = "close";
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
