using System.Globalization;
using Faas.Gateway.Calls;
using Faas.Gateway.Metrics;
using Faas.Provider;

namespace Faas.Gateway.Connectors;

/// <summary>What came of invoking a function for one message: its status and answer, or why there was none.</summary>
internal sealed record MessageOutcome(int? Status, byte[] Body, string? ContentType, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The status as a metric label, <c>error</c> when the function could not be reached.</summary>
    public string Code => Status?.ToString(CultureInfo.InvariantCulture) ?? "error";

    public string Description => Error ?? $"status {Code}";
}

/// <summary>
/// Invokes a function for a message through the gateway's own route (<see cref="InternalInvoker"/>, as async calls
/// are): scale from zero, balancing, timeouts, metrics, tracing and autoscaling apply. The body is the request body;
/// the message's headers come as <c>X-</c> headers, with <c>X-Topic</c> and <c>X-Connector</c>.
/// </summary>
internal sealed partial class MessageInvoker(InternalInvoker invoker, GatewayMetrics metrics, ILogger<MessageInvoker> log)
{
    public async Task<MessageOutcome> InvokeAsync(string connector, FunctionKey function, string topic, ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        MessageOutcome outcome;
        try
        {
            using var content = new ReadOnlyMemoryContent(body);
            using var response = await invoker.InvokeAsync(function, HttpMethod.Post, content,
                [.. MessageHeaders.ToRequestHeaders(headers), new("X-Topic", topic), new("X-Connector", connector)], cancellationToken);
            outcome = new((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentType?.ToString(), null);
        }
        catch (HttpRequestException error)
        {
            outcome = new(null, [], null, error.Message);
        }

        if (!outcome.Succeeded)
        {
            LogFailed(log, connector, function.ToString(), topic, outcome.Description);
        }

        metrics.TriggerInvocations.WithLabels(function.ToString(), connector, outcome.Code).Inc();
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Connector} invocation of {Function} for {Topic} failed: {Outcome}")]
    private static partial void LogFailed(ILogger logger, string connector, string function, string topic, string outcome);
}
