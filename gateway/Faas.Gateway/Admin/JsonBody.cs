using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Faas.Gateway.Admin;

/// <summary>Reads a request body as one of the wire types; malformed JSON is a 400 naming where it broke.</summary>
internal static class JsonBody
{
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
