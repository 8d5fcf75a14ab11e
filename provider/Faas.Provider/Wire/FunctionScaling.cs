using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>This project's addition to <c>FunctionStatus</c>: how an autoscaled function is scaled and what was last decided.</summary>
public sealed record FunctionScaling
{
    [JsonPropertyName("policy")]
    public string Policy { get; set; } = "";

    [JsonPropertyName("desiredReplicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int DesiredReplicas { get; set; }

    [JsonPropertyName("lastDecision")]
    public string LastDecision { get; set; } = "";

    [JsonPropertyName("decidedAt")]
    public DateTimeOffset DecidedAt { get; set; }
}
