using Faas.Provider;

namespace Faas.Gateway.Admin;

/// <summary>Maps the provider's typed failures to OpenFaaS' status codes, with the provider's one-line message as a plain-text body.</summary>
public sealed class ProviderErrors(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ProviderException error) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = error.Kind switch
            {
                ProviderError.NotFound => StatusCodes.Status404NotFound,
                ProviderError.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(error.Message + "\n");
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = error.StatusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(error.Message + "\n");
        }
    }
}
