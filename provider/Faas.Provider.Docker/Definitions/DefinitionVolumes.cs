using System.Globalization;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Definitions;

/// <summary>
/// Function definitions kept by the engine itself, as labels of an empty named volume per function, so they
/// outlive the gateway and exist while a function has no container (scaled to zero). Labels cannot change, so
/// saving replaces the volume. Replica counts are not kept: the engine's containers are the count.
/// </summary>
internal sealed class DefinitionVolumes(IDockerClient engine) : IDefinitionStore
{
    public async Task<IReadOnlyList<StoredDefinition>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var filter = ContainerLabels.Filter($"{ContainerLabels.Managed}=true", $"{ContainerLabels.Role}={ContainerLabels.DefinitionRole}");
        var volumes = await engine.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken);
        var definitions = new List<StoredDefinition>();
        foreach (var volume in volumes.Volumes ?? [])
        {
            var labels = new Dictionary<string, string>(volume.Labels ?? new Dictionary<string, string>());
            if (labels.TryGetValue(ContainerLabels.Deployment, out var json)
                && JsonSerializer.Deserialize(json, ProviderJson.Default.FunctionDeployment) is { } deployment
                && DateTimeOffset.TryParse(labels.GetValueOrDefault(ContainerLabels.CreatedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            {
                definitions.Add(new StoredDefinition(deployment, createdAt));
            }
        }

        return definitions;
    }

    public async Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Role] = ContainerLabels.DefinitionRole,
            [ContainerLabels.Function] = definition.Key.Name,
            [ContainerLabels.Namespace] = definition.Key.Namespace,
            [ContainerLabels.Deployment] = JsonSerializer.Serialize(definition.Deployment, ProviderJson.Default.FunctionDeployment),
            [ContainerLabels.CreatedAt] = definition.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        await DeleteAsync(definition.Key, cancellationToken);
        await engine.Volumes.CreateAsync(new VolumesCreateParameters { Name = NameOf(definition.Key), Labels = labels }, cancellationToken);
    }

    public Task SaveReplicasAsync(FunctionKey key, int replicas, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DeleteAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Volumes.RemoveAsync(NameOf(key), force: null, cancellationToken);
        }
        catch (Exception error) when (error.IsNotFound())
        {
        }
    }

    /// <summary>Dots cannot occur in function or namespace names, so the name is unambiguous.</summary>
    private static string NameOf(FunctionKey key) => $"faas-definition.{key.Namespace}.{key.Name}";
}
