using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>logs.Message</c>: one line of a function's output, one JSON object per line on the wire.</summary>
public sealed record LogMessage
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Namespace { get; init; } = "";

    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Instance { get; init; } = "";

    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Text { get; init; } = "";
}
