using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>Secret</c>. Listing never fills <see cref="Value"/> or <see cref="RawValue"/>.</summary>
public sealed record Secret
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    /// <summary>Binary value, base64 in JSON (Go's []byte).</summary>
    [JsonPropertyName("rawValue")]
    public byte[]? RawValue { get; set; }
}
