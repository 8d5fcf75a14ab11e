using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>FunctionResources</c>: limits or requests of a function.</summary>
public sealed record FunctionResources
{
    [JsonPropertyName("memory")]
    public string? Memory { get; init; }

    [JsonPropertyName("cpu")]
    public string? Cpu { get; init; }

    [JsonPropertyName("nvidia.com/gpu")]
    public string? NvidiaGpu { get; init; }

    [JsonPropertyName("amd.com/gpu")]
    public string? AmdGpu { get; init; }

    [JsonPropertyName("intel.com/gpu")]
    public string? IntelGpu { get; init; }
}
