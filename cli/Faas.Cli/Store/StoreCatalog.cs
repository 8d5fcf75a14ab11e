using System.Text.Json;
using Faas.Cli.BuiltIn;
using System.Text.Json.Serialization;

namespace Faas.Cli.Store;

/// <summary>
/// The function store: <c>functions.json</c> in OpenFaaS's store v2 schema (images per platform, which faas-cli's
/// <c>store list --url</c> reads), plus <c>lang</c> and <c>handler</c> (relative to
/// the file) so that each function can be built from its source with the templates, offline. Found at
/// <c>$FAAS_STORE</c> (a path), else the repository's <c>store/functions.json</c>, else the store built into the executable.
/// </summary>
internal sealed class StoreCatalog
{
    private StoreCatalog(string path, StoreCatalogFile file)
    {
        Path = path;
        Functions = file.Functions;
    }

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    public IReadOnlyList<StoreFunction> Functions { get; }

    public static StoreCatalog Load(string? path)
    {
        path ??= Environment.GetEnvironmentVariable("FAAS_STORE") is { Length: > 0 } configured
            ? configured
            : RepositoryRoot.Find().Select(root => System.IO.Path.Combine(root, "store", "functions.json")).FirstOrDefault() ?? BuiltInFiles.Store;
        if (path is null || !File.Exists(path))
        {
            throw CliException.BadInput($"the function store {(path ?? "store/functions.json")} does not exist (set FAAS_STORE or pass --store)");
        }

        try
        {
            return new StoreCatalog(path, JsonSerializer.Deserialize(File.ReadAllText(path), CliJson.Default.StoreCatalogFile) ?? new StoreCatalogFile());
        }
        catch (JsonException error)
        {
            throw CliException.BadInput($"{path}: {error.Message}");
        }
    }

    public StoreFunction Get(string name) =>
        Functions.FirstOrDefault(function => function.Name == name)
        ?? throw CliException.BadInput($"the store has no function named {name}: see 'faas store list'");
}

internal sealed class StoreCatalogFile
{
    [JsonPropertyName("version")]
    public string Version { get; set; } = "0.2.1";

    [JsonPropertyName("functions")]
    public List<StoreFunction> Functions { get; set; } = [];
}

/// <summary>One store entry: OpenFaaS's <c>StoreFunction</c> fields, plus how to build it here.</summary>
internal sealed class StoreFunction
{
    [JsonPropertyName("title")]
    public string Title { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    [JsonPropertyName("author")]
    public string? Author { get; set; }

    /// <summary>The image per platform, keyed as faas-cli keys them (<c>x86_64</c>, <c>arm64</c>, <c>armhf</c>).</summary>
    [JsonPropertyName("images")]
    public Dictionary<string, string> Images { get; set; } = [];

    /// <summary>The image for the platform this runs on, or "" when the store has none for it.</summary>
    [JsonIgnore]
    public string Image => Images.GetValueOrDefault(Platform) ?? "";

    /// <summary>This machine's key in <see cref="Images"/>, as faas-cli names platforms.</summary>
    public static string Platform => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "armhf",
        _ => "x86_64",
    };

    [JsonPropertyName("fprocess")]
    public string? Fprocess { get; set; }

    [JsonPropertyName("network")]
    public string? Network { get; set; }

    [JsonPropertyName("repo_url")]
    public string? RepoUrl { get; set; }

    [JsonPropertyName("environment")]
    public Dictionary<string, string>? Environment { get; set; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; set; }

    /// <summary>The template it is built with on the local backend.</summary>
    [JsonPropertyName("lang")]
    public string? Lang { get; set; }

    /// <summary>Its handler's source, relative to functions.json.</summary>
    [JsonPropertyName("handler")]
    public string? Handler { get; set; }

    /// <summary>In a store made by <c>faas store build</c>: its built bundle, relative to functions.json.</summary>
    [JsonPropertyName("bundle")]
    public string? Bundle { get; set; }
}
