using System.Text.Json.Serialization;

namespace Faas.Gateway.Metrics;

/// <summary>GET <c>/system/function-history</c>: the sampling interval and each function's points.</summary>
internal sealed record FunctionHistoryResponse
{
    [JsonPropertyName("intervalSeconds")]
    public double IntervalSeconds { get; init; }

    [JsonPropertyName("functions")]
    public IReadOnlyList<FunctionHistoryWire> Functions { get; init; } = [];
}

internal sealed record FunctionHistoryWire
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string Namespace { get; init; } = "";

    [JsonPropertyName("points")]
    public IReadOnlyList<HistoryPoint> Points { get; init; } = [];
}

/// <summary>
/// One interval of one function: what happened in it, and the replicas at its end. A struct of 48 bytes, kept by the
/// thousand: 15 minutes of a function at the default interval take about 4 KB.
/// </summary>
internal readonly record struct HistoryPoint
{
    /// <summary>The end of the interval, in Unix milliseconds.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("invocations")]
    public int Invocations { get; init; }

    /// <summary>Invocations answered 5xx.</summary>
    [JsonPropertyName("errors")]
    public int Errors { get; init; }

    [JsonPropertyName("coldStarts")]
    public int ColdStarts { get; init; }

    [JsonPropertyName("inFlight")]
    public int InFlight { get; init; }

    /// <summary>Median duration in the interval, in milliseconds (within 20%); null without invocations.</summary>
    [JsonPropertyName("p50Ms")]
    public float? P50Ms { get; init; }

    [JsonPropertyName("p99Ms")]
    public float? P99Ms { get; init; }

    [JsonPropertyName("replicas")]
    public int Replicas { get; init; }

    [JsonPropertyName("availableReplicas")]
    public int AvailableReplicas { get; init; }
}
