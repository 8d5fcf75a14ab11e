using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>Secret</c>. Listing never fills <see cref="Value"/> or <see cref="RawValue"/>.</summary>
public sealed record Secret
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Binary value, base64 in JSON (Go's []byte).</summary>
    [JsonPropertyName("rawValue")]
    public byte[]? RawValue { get; init; }
}
