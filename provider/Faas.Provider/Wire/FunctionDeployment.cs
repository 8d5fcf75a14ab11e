using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>FunctionDeployment</c>: the body of POST and PUT <c>/system/functions</c>.</summary>
public sealed record FunctionDeployment
{
    [JsonPropertyName("service")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Service { get; init; } = "";

    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Image { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("envProcess")]
    public string? EnvProcess { get; init; }

    [JsonPropertyName("envVars")]
    public Dictionary<string, string>? EnvVars { get; init; }

    [JsonPropertyName("constraints")]
    public List<string>? Constraints { get; init; }

    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("limits")]
    public FunctionResources? Limits { get; init; }

    [JsonPropertyName("requests")]
    public FunctionResources? Requests { get; init; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; init; }
}
