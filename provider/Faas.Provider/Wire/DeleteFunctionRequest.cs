using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>DeleteFunctionRequest</c>: the body of DELETE <c>/system/functions</c>.</summary>
public sealed record DeleteFunctionRequest
{
    [JsonPropertyName("functionName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string FunctionName { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
