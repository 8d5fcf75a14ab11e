using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Faas.Gateway.Admin;

/// <summary>
/// Request and response bodies of the admin API: reads one of the wire types (malformed JSON is a 400 naming where it
/// broke), writes one as JSON, and gives the namespace a request names (empty: the backend's default).
/// </summary>
internal static class JsonBody
{
    public static string Namespace(HttpContext context) => context.Request.Query["namespace"].ToString();

    public static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken)
                ?? throw new BadHttpRequestException("request body is empty: expected a JSON object");
        }
        catch (JsonException error)
        {
            throw new BadHttpRequestException($"invalid JSON body: {error.Message}");
        }
    }
}
