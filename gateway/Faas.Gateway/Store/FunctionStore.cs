using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Gateway.Admin;
using Faas.Gateway.Configuration;
using Faas.Provider;
using Faas.Provider.Validation;
using Faas.Provider.Wire;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Store;

/// <summary>
/// A built function store (<c>faas store build --output DIR</c>): <c>functions.json</c> in OpenFaaS' store schema
/// with, per function, a <c>bundle</c> built from its source. Deploying one stores its bundle on backends that run
/// bundles (local), and deploys the store's image for this platform on those that run images (Docker, Kubernetes),
/// as the OpenFaaS portal does. Read at each request: rebuilding the store needs no restart.
/// </summary>
internal sealed class FunctionStore(IOptions<GatewayOptions> options)
{
    private string? StoreDirectory => options.Value.StoreDirectory is { Length: > 0 } directory ? Path.GetFullPath(directory) : null;

    /// <summary>The store's functions, or null when no store is configured.</summary>
    public async Task<IReadOnlyList<StoreEntry>?> ListAsync(CancellationToken cancellationToken)
    {
        if (StoreDirectory is not { } directory)
        {
            return null;
        }

        var path = Path.Combine(directory, "functions.json");
        try
        {
            await using var file = File.OpenRead(path);
            return (await JsonSerializer.DeserializeAsync(file, StoreJson.Default.StoreFile, cancellationToken))?.Functions ?? [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ProviderException(ProviderError.Unavailable, $"the function store at {path} cannot be read: {error.Message}");
        }
    }

    /// <summary>Deploys store function <paramref name="request"/> names, under its own name or the one asked for.</summary>
    public async Task<FunctionDeployment> DeployAsync(StoreDeployRequest request, IFunctionProvider provider, CancellationToken cancellationToken)
    {
        var entries = await ListAsync(cancellationToken) ?? throw new ProviderException(ProviderError.NotFound, "no function store is configured (Gateway:StoreDirectory or FAAS_STORE_DIR)");
        var entry = entries.FirstOrDefault(function => function.Name == request.Name)
            ?? throw new ProviderException(ProviderError.NotFound, $"the store has no function named {request.Name}");
        var service = request.Service is { Length: > 0 } given ? given : entry.Name;
        if (NameRules.CheckLabel("function name", service) is { } problem)
        {
            throw ProviderException.Invalid(problem);
        }

        string image;
        if (provider is IBundleStore bundles)
        {
            var bundle = entry.Bundle is { Length: > 0 } relative ? Path.GetFullPath(Path.Combine(StoreDirectory!, relative)) : null;
            if (bundle is null || !bundle.StartsWith(StoreDirectory! + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(bundle))
            {
                throw ProviderException.Invalid($"store function {entry.Name} has no bundle in the store for this backend ({provider.Info.Orchestration}): run 'faas store build'");
            }

            await using var file = File.OpenRead(bundle);
            image = await bundles.StoreBundleAsync(service, file, cancellationToken);
        }
        else
        {
            image = entry.Images.GetValueOrDefault(GatewayInfo.Architecture)
                ?? throw ProviderException.Invalid($"store function {entry.Name} has no image for {GatewayInfo.Architecture}");
        }

        var deployment = new FunctionDeployment
        {
            Service = service,
            Image = image,
            Namespace = request.Namespace,
            EnvProcess = entry.Fprocess,
            EnvVars = entry.Environment is { Count: > 0 } environment ? new(environment) : null,
            Labels = entry.Labels is { Count: > 0 } labels ? new(labels) : null,
            Annotations = entry.Annotations is { Count: > 0 } annotations ? new(annotations) : null,
            ReadOnlyRootFilesystem = entry.ReadOnlyRootFilesystem,
        };
        await provider.DeployAsync(deployment, cancellationToken);
        return deployment;
    }
}

internal sealed record StoreFile
{
    [JsonPropertyName("functions")]
    public List<StoreEntry> Functions { get; init; } = [];
}

/// <summary>One store function: OpenFaaS' <c>StoreFunction</c> fields, plus the bundle built for the local backend.</summary>
internal sealed record StoreEntry
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("title")]
    public string Title { get; init; } = "";

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    [JsonPropertyName("images")]
    public Dictionary<string, string> Images { get; init; } = [];

    [JsonPropertyName("fprocess")]
    public string? Fprocess { get; init; }

    [JsonPropertyName("environment")]
    public Dictionary<string, string>? Environment { get; init; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; init; }

    [JsonPropertyName("lang")]
    public string? Lang { get; init; }

    /// <summary>The bundle built from its source, relative to <c>functions.json</c>.</summary>
    [JsonPropertyName("bundle")]
    public string? Bundle { get; init; }
}

/// <summary>POST <c>/system/store/deploy</c>: which store function, and optionally under which name and namespace.</summary>
internal sealed record StoreDeployRequest
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("service")]
    public string? Service { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(StoreFile))]
[JsonSerializable(typeof(List<StoreEntry>))]
[JsonSerializable(typeof(StoreDeployRequest))]
internal sealed partial class StoreJson : JsonSerializerContext;
