using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>ProviderInfo</c>, served (with the gateway's version) on <c>/system/info</c>.</summary>
public sealed record ProviderInfo
{
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Provider { get; set; } = "";

    [JsonPropertyName("version")]
    public VersionInfo? Version { get; set; }

    [JsonPropertyName("orchestration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Orchestration { get; set; } = "";
}

public sealed record VersionInfo
{
    /// <summary>The release and commit the build stamped into <paramref name="assembly"/>.</summary>
    public static VersionInfo Of(System.Reflection.Assembly assembly)
    {
        var version = Faas.Conventions.BuildVersion.Of(assembly);
        return new VersionInfo { Release = version.Release, Sha = version.Commit };
    }

    [JsonPropertyName("commit_message")]
    public string? CommitMessage { get; set; }

    [JsonPropertyName("sha")]
    public string? Sha { get; set; }

    [JsonPropertyName("release")]
    public string? Release { get; set; }
}
