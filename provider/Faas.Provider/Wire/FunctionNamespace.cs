using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>FunctionNamespace</c>: a namespace made through <c>/system/namespace/NAME</c>, with its labels and annotations.</summary>
public sealed record FunctionNamespace
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; set; } = "";

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Annotations { get; set; } = [];

    [JsonPropertyName("labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Labels { get; set; } = [];
}
