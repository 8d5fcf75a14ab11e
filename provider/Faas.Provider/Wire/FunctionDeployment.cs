using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>FunctionDeployment</c>: the body of POST and PUT <c>/system/functions</c>.</summary>
public sealed record FunctionDeployment
{
    [JsonPropertyName("service")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Service { get; set; } = "";

    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Image { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("envProcess")]
    public string? EnvProcess { get; set; }

    [JsonPropertyName("envVars")]
    public Dictionary<string, string>? EnvVars { get; set; }

    [JsonPropertyName("constraints")]
    public List<string>? Constraints { get; set; }

    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; set; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("limits")]
    public FunctionResources? Limits { get; set; }

    [JsonPropertyName("requests")]
    public FunctionResources? Requests { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; set; }
}
