using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Host.State;

namespace Faas.Provider.Local.State;

/// <summary>Function definitions and desired replica counts, one JSON file per function under <c>functions/</c>.</summary>
internal sealed class FunctionStore(StateDirectory state) : IDefinitionStore
{
    private const string FileName = "function.json";

    public Task<IReadOnlyList<StoredDefinition>> LoadAllAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredDefinition> all = !Directory.Exists(state.Functions) ? [] :
            [.. Directory.EnumerateFiles(state.Functions, FileName, SearchOption.AllDirectories)
                .Select(file => JsonSerializer.Deserialize(File.ReadAllBytes(file), LocalJson.Default.StoredDefinition))
                .OfType<StoredDefinition>()];
        return Task.FromResult(all);
    }

    public Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken)
    {
        Write(definition);
        return Task.CompletedTask;
    }

    public Task SaveReplicasAsync(FunctionKey key, int replicas, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path) && JsonSerializer.Deserialize(File.ReadAllBytes(path), LocalJson.Default.StoredDefinition) is { } stored)
        {
            Write(stored with { Replicas = replicas });
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        var directory = state.FunctionDirectory(key);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private void Write(StoredDefinition definition) =>
        StateDirectory.WriteAtomically(PathOf(definition.Key), JsonSerializer.SerializeToUtf8Bytes(definition, LocalJson.Default.StoredDefinition));

    private string PathOf(FunctionKey key) => Path.Combine(state.FunctionDirectory(key), FileName);
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(StoredDefinition))]
[JsonSerializable(typeof(Bundles.BundleManifest))]
internal sealed partial class LocalJson : JsonSerializerContext;
