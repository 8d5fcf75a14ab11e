using System.Text.Json.Serialization;

namespace Faas.Provider.Docker.Engine;

/// <summary>The parts of <c>GET /images/{name}/json</c> this backend reads.</summary>
public sealed record ImageDetails
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Config")]
    public ImageConfig? Config { get; init; }
}

public sealed record ImageConfig
{
    [JsonPropertyName("Env")]
    public List<string>? Env { get; init; }

    [JsonPropertyName("Cmd")]
    public List<string>? Cmd { get; init; }

    [JsonPropertyName("Entrypoint")]
    public List<string>? Entrypoint { get; init; }
}

/// <summary>The body of <c>POST /volumes/create</c>.</summary>
public sealed record VolumeSpec
{
    [JsonPropertyName("Name")]
    public required string Name { get; init; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; init; }
}

public sealed record VolumeSummary
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("CreatedAt")]
    public string? CreatedAt { get; init; }
}

/// <summary>The answer of <c>GET /volumes</c>.</summary>
public sealed record VolumeList
{
    [JsonPropertyName("Volumes")]
    public List<VolumeSummary>? Volumes { get; init; }
}

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkSpec
{
    [JsonPropertyName("Name")]
    public required string Name { get; init; }

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "bridge";

    [JsonPropertyName("CheckDuplicate")]
    public bool CheckDuplicate { get; init; }
}
