using System.Globalization;
using System.Text.Json;
using Faas.Provider;
using Faas.Provider.Wire;

namespace Faas.Gateway.Admin;

/// <summary>GET <c>/system/logs</c>: newline-delimited JSON log messages (<c>name</c>, <c>namespace</c>, <c>tail</c>, <c>follow</c>, <c>since</c>, <c>instance</c>).</summary>
internal static class LogRoute
{
    public static async Task StreamAsync(HttpContext context, IFunctionProvider provider)
    {
        var query = context.Request.Query;
        var name = query["name"].ToString();
        if (name.Length == 0)
        {
            throw new BadHttpRequestException("query parameter name is required");
        }

        var request = new LogRequest(name, query["namespace"].ToString())
        {
            Follow = query["follow"] == "true" || query["follow"] == "1",
            Tail = ParseTail(query["tail"].ToString()),
            Since = ParseSince(query["since"].ToString()),
            Instance = query["instance"].Count > 0 ? query["instance"].ToString() : null,
        };

        var messages = provider.GetLogsAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        var hasFirst = await messages.MoveNextAsync();
        context.Response.ContentType = "application/x-ndjson";
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            for (var more = hasFirst; more; more = await messages.MoveNextAsync())
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, messages.Current, ProviderJson.Wire.LogMessage, context.RequestAborted);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped following.
        }
        finally
        {
            await messages.DisposeAsync();
        }
    }

    /// <summary>Lines from the end; none, or 0 or less (faas-cli sends -1 by default), means every line.</summary>
    private static int? ParseTail(string text) =>
        text.Length == 0 ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tail) ? (tail > 0 ? tail : null)
        : throw new BadHttpRequestException($"invalid tail \"{text}\": expected a whole number of lines (0 or less for all)");

    private static DateTimeOffset? ParseSince(string text) =>
        text.Length == 0 ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) ? since
        : throw new BadHttpRequestException($"invalid since \"{text}\": expected an RFC 3339 time such as 2026-01-02T15:04:05Z");
}
