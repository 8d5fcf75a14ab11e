using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>ScaleServiceRequest</c>: the body of POST <c>/system/scale-function/NAME</c>.</summary>
public sealed record ScaleServiceRequest
{
    [JsonPropertyName("serviceName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string ServiceName { get; set; } = "";

    [JsonPropertyName("replicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong Replicas { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
