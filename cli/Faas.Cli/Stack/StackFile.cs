namespace Faas.Cli.Stack;

/// <summary>stack.yml in faas-cli's schema (field names snake_case, as YamlDotNet's underscored convention maps them).</summary>
internal sealed class StackFile
{
    public string Version { get; set; } = "1.0";

    public StackProvider Provider { get; set; } = new();

    public Dictionary<string, StackFunction> Functions { get; set; } = [];

    public StackConfiguration? Configuration { get; set; }

    /// <summary>The file this was read from; relative handler paths are relative to its directory.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string Path { get; set; } = "";

    [YamlDotNet.Serialization.YamlIgnore]
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
}

internal sealed class StackProvider
{
    public string Name { get; set; } = "openfaas";

    public string? Gateway { get; set; }
}

internal sealed class StackConfiguration
{
    public List<TemplateSource> Templates { get; set; } = [];

    public List<string> Copy { get; set; } = [];
}

internal sealed class TemplateSource
{
    public string Name { get; set; } = "";

    public string Source { get; set; } = "";
}

internal sealed class StackFunction
{
    public string? Lang { get; set; }

    public string? Handler { get; set; }

    public string? Image { get; set; }

    public string? Fprocess { get; set; }

    public string? Namespace { get; set; }

    public Dictionary<string, string> Environment { get; set; } = [];

    public List<string> EnvironmentFile { get; set; } = [];

    public List<string> Secrets { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];

    public StackResources? Limits { get; set; }

    public StackResources? Requests { get; set; }

    public List<string> Constraints { get; set; } = [];

    public Dictionary<string, string> BuildArgs { get; set; } = [];

    public List<string> BuildOptions { get; set; } = [];

    public Dictionary<string, string> BuildSecrets { get; set; } = [];

    public List<string> Platforms { get; set; } = [];

    public bool SkipBuild { get; set; }

    public bool ReadonlyRootFilesystem { get; set; }
}

internal sealed class StackResources
{
    public string? Memory { get; set; }

    public string? Cpu { get; set; }
}

/// <summary>An <c>environment_file</c>: a YAML file with a top-level <c>environment</c> map.</summary>
internal sealed class EnvironmentFile
{
    public Dictionary<string, string> Environment { get; set; } = [];
}
