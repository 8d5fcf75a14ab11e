using System.Globalization;
using System.Text.Json;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Definitions;

/// <summary>
/// Function definitions kept by the engine itself, as labels of an empty named volume per function, so they
/// outlive the gateway and exist while a function has no container (scaled to zero). Labels cannot change, so
/// an update replaces the volume.
/// </summary>
public sealed class DefinitionVolumes(DockerEngine engine)
{
    public async Task<IReadOnlyList<FunctionDefinition>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var volumes = await engine.ListVolumesAsync([$"{ContainerLabels.Managed}=true", $"{ContainerLabels.Role}={ContainerLabels.DefinitionRole}"], cancellationToken);
        var definitions = new List<FunctionDefinition>();
        foreach (var volume in volumes)
        {
            var labels = volume.Labels ?? [];
            if (labels.TryGetValue(ContainerLabels.Deployment, out var json)
                && JsonSerializer.Deserialize(json, ProviderJson.Default.FunctionDeployment) is { } deployment
                && DateTimeOffset.TryParse(labels.GetValueOrDefault(ContainerLabels.CreatedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            {
                definitions.Add(new FunctionDefinition(deployment, createdAt));
            }
        }

        return definitions;
    }

    public Task SaveAsync(FunctionDefinition definition, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Role] = ContainerLabels.DefinitionRole,
            [ContainerLabels.Function] = definition.Key.Name,
            [ContainerLabels.Namespace] = definition.Key.Namespace,
            [ContainerLabels.Deployment] = definition.Json,
            [ContainerLabels.CreatedAt] = definition.CreatedAtText,
        };
        return engine.CreateVolumeAsync(NameOf(definition.Key), labels, cancellationToken);
    }

    public async Task ReplaceAsync(FunctionDefinition definition, CancellationToken cancellationToken)
    {
        await DeleteAsync(definition.Key, cancellationToken);
        await SaveAsync(definition, cancellationToken);
    }

    public async Task DeleteAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RemoveVolumeAsync(NameOf(key), cancellationToken);
        }
        catch (DockerException error) when (error.IsNotFound)
        {
        }
    }

    /// <summary>Dots cannot occur in function or namespace names, so the name is unambiguous.</summary>
    private static string NameOf(FunctionKey key) => $"faas-definition.{key.Namespace}.{key.Name}";
}
