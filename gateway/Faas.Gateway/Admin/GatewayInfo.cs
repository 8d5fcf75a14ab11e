using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Faas.Provider.Wire;

namespace Faas.Gateway.Admin;

/// <summary>GET <c>/system/info</c>, shaped as the OpenFaaS gateway's: the provider's info, the gateway's version, the architecture.</summary>
internal sealed record GatewayInfo
{
    public static readonly VersionInfo GatewayVersion = VersionInfo.Of(typeof(GatewayInfo).Assembly);

    public static readonly string Architecture = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "x86_64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    [JsonPropertyName("provider")]
    public ProviderInfo? Provider { get; init; }

    [JsonPropertyName("version")]
    public VersionInfo? Version { get; init; }

    [JsonPropertyName("arch")]
    public string? Arch { get; init; }
}

/// <summary>The answer to a bundle upload: the image reference to deploy.</summary>
internal sealed record BundleStored
{
    [JsonPropertyName("image")]
    public string Image { get; init; } = "";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(GatewayInfo))]
[JsonSerializable(typeof(BundleStored))]
internal sealed partial class GatewayJson : JsonSerializerContext
{
    /// <summary>Written as OpenFaaS' Go gateway writes it (see <see cref="ProviderJson.WireOptions"/>).</summary>
    public static GatewayJson Wire { get; } = new(ProviderJson.WireOptions());
}
