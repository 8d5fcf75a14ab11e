using System.Text.Json.Serialization;

namespace Faas.Provider.Local.Bundles;

/// <summary>
/// <c>faas-bundle.json</c> at the root of a bundle: how to run the files in it. <c>fprocess</c> is required;
/// the rest default as the watchdog defaults them. A deployment's <c>envProcess</c> and <c>envVars</c> win.
/// </summary>
public sealed record BundleManifest
{
    [JsonPropertyName("fprocess")]
    public string? Fprocess { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("upstream_url")]
    public string? UpstreamUrl { get; init; }

    [JsonPropertyName("ready_path")]
    public string? ReadyPath { get; init; }
}
