namespace Faas.Cli.Templates;

/// <summary>
/// A template's <c>template.yml</c>: OpenFaaS's fields (<c>language</c>, <c>fprocess</c> for the image,
/// <c>welcome_message</c>, <c>handler_folder</c>) plus <c>local</c>: how the local backend builds and runs it as a bundle.
/// </summary>
internal sealed class TemplateManifest
{
    public string Language { get; set; } = "";

    public string? Fprocess { get; set; }

    public string? WelcomeMessage { get; set; }

    public string HandlerFolder { get; set; } = "function";

    public List<BuildOption> BuildOptions { get; set; } = [];

    public bool MountSsh { get; set; }

    /// <summary>Null for templates that only build container images (dockerfile).</summary>
    public LocalBuild? Local { get; set; }

    /// <summary>How the Docker builder builds its image (the Dockerfile is in the template's root or its handler folder).</summary>
    public DockerBuild Docker { get; set; } = new();

    /// <summary>The template's directory (not in the file).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string Directory { get; set; } = "";
}

internal sealed class BuildOption
{
    public string Name { get; set; } = "";

    public List<string> Packages { get; set; } = [];
}

internal sealed class DockerBuild
{
    /// <summary>Shell commands run in the build directory before the image build (for example a self-contained .NET publish).</summary>
    public List<string> Prebuild { get; set; } = [];

    /// <summary>Build arguments for <c>--offline</c>: the base images <c>make images</c> makes, in place of a registry's.</summary>
    public Dictionary<string, string> OfflineBuildArgs { get; set; } = [];
}

internal sealed class LocalBuild
{
    /// <summary>The watchdog mode the bundle runs in.</summary>
    public string Mode { get; set; } = "streaming";

    /// <summary>The command the watchdog runs, relative to the bundle's directory.</summary>
    public string Fprocess { get; set; } = "";

    public string? ReadyPath { get; set; }

    /// <summary>Programs that must be on PATH to build and run it (checked before building, so the error is clear).</summary>
    public List<string> Requires { get; set; } = [];

    /// <summary>Shell commands run in the build directory, in order; build arguments are in their environment.</summary>
    public List<string> Build { get; set; } = [];

    /// <summary>The directory (relative to the build directory) packed as the bundle.</summary>
    public string Output { get; set; } = ".";
}
