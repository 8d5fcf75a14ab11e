using System.Net;
using System.Text.Json;
using Docker.DotNet;

namespace Faas.Docker;

/// <summary>The Engine's own words for a failure, without the client library's wrapping.</summary>
public static class EngineErrors
{
    public static bool IsNotFound(this Exception error) => error is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    public static bool IsConflict(this Exception error) => error is DockerApiException { StatusCode: HttpStatusCode.Conflict };

    /// <summary>The <c>message</c> of the Engine's JSON error body, or the exception's message.</summary>
    public static string Reason(Exception error)
    {
        if (error is DockerApiException { ResponseBody: { Length: > 0 } body })
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message)
                    && message.GetString() is { Length: > 0 } text)
                {
                    return text.Trim();
                }
            }
            catch (JsonException)
            {
            }

            return body.Trim();
        }

        return error is EngineProgressException progress ? progress.Message : error.InnerException?.Message ?? error.Message;
    }
}
