using System.Text.Json.Serialization;
using Faas.Gateway.Async;
using Faas.Gateway.Metrics;

namespace Faas.Gateway.Dashboard;

/// <summary>GET <c>/system/async-queues</c>: the queue, whether it is up, and each function's figures.</summary>
internal sealed record AsyncQueuesResponse
{
    [JsonPropertyName("queue")]
    public string Queue { get; init; } = "";

    /// <summary>Why the queue is unavailable, or null.</summary>
    [JsonPropertyName("problem")]
    public string? Problem { get; init; }

    [JsonPropertyName("functions")]
    public IReadOnlyList<AsyncQueueStatus> Functions { get; init; } = [];
}

/// <summary>One function's async calls: waiting in the queue now, and what the worker did since the gateway started.</summary>
internal sealed record AsyncQueueStatus
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    /// <summary>Calls waiting or running; null while the queue is unavailable.</summary>
    [JsonPropertyName("depth")]
    public int? Depth { get; init; }

    [JsonPropertyName("inFlight")]
    public long InFlight { get; init; }

    [JsonPropertyName("retries")]
    public long Retries { get; init; }

    [JsonPropertyName("deadLettered")]
    public long DeadLettered { get; init; }

    [JsonPropertyName("completed")]
    public long Completed { get; init; }
}

/// <summary>POST <c>/system/dead-letters/redrive</c>: which dead letter of which function.</summary>
internal sealed record RedriveRequest
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("id")]
    public string Id { get; init; } = "";
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(FunctionHistoryResponse))]
[JsonSerializable(typeof(AsyncQueuesResponse))]
[JsonSerializable(typeof(List<DeadLetter>))]
[JsonSerializable(typeof(RedriveRequest))]
[JsonSerializable(typeof(SignIn))]
[JsonSerializable(typeof(SessionInfo))]
internal sealed partial class DashboardJson : JsonSerializerContext;
