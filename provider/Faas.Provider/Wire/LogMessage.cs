using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>logs.Message</c>: one line of a function's output, one JSON object per line on the wire.</summary>
public sealed record LogMessage
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Namespace { get; set; } = "";

    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Instance { get; set; } = "";

    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset Timestamp { get; set; }

    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Text { get; set; } = "";
}
