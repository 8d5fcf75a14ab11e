using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>FunctionResources</c>: limits or requests of a function.</summary>
public sealed record FunctionResources
{
    [JsonPropertyName("memory")]
    public string? Memory { get; set; }

    [JsonPropertyName("cpu")]
    public string? Cpu { get; set; }

    [JsonPropertyName("nvidia.com/gpu")]
    public string? NvidiaGpu { get; set; }

    [JsonPropertyName("amd.com/gpu")]
    public string? AmdGpu { get; set; }

    [JsonPropertyName("intel.com/gpu")]
    public string? IntelGpu { get; set; }
}
