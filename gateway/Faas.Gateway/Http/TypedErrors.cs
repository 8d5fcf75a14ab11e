using Faas.Provider;

namespace Faas.Gateway.Http;

/// <summary>
/// Maps the provider's typed failures to OpenFaaS' status codes, and the async queue's (NATS down or too slow: the admin
/// API's queue and dead-letter routes) to 503, each with its one-line message as a plain-text body.
/// </summary>
internal sealed class TypedErrors(RequestDelegate next)
{
    public static int StatusOf(ProviderError kind) => kind switch
    {
        ProviderError.NotFound => StatusCodes.Status404NotFound,
        ProviderError.Conflict => StatusCodes.Status409Conflict,
        ProviderError.NotSupported => StatusCodes.Status501NotImplemented,
        ProviderError.Refused => StatusCodes.Status502BadGateway,
        ProviderError.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ProviderException error) when (!context.Response.HasStarted)
        {
            await PlainTextError.WriteAsync(context, StatusOf(error.Kind), error.Message);
        }
        catch (Async.QueueUnavailableException error) when (!context.Response.HasStarted)
        {
            await PlainTextError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, error.Message);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            await PlainTextError.WriteAsync(context, error.StatusCode, error.Message);
        }
    }
}
