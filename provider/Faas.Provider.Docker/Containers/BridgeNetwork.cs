using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;

namespace Faas.Provider.Docker.Containers;

/// <summary>
/// The user-defined bridge network replicas join, made by the first backend that needs it. The Engine's check for a
/// name in use is not atomic: backends starting together can each make a network of the same name, and a container
/// then cannot join it by name ("network ... is ambiguous"). So every start keeps the oldest of this backend's
/// networks of that name and removes the others that nothing has joined yet.
/// </summary>
internal static class BridgeNetwork
{
    public static async Task EnsureAsync(IDockerClient engine, string name, CancellationToken cancellationToken)
    {
        var existing = await ListAsync(engine, name, managedOnly: false, cancellationToken);
        if (existing.Count == 0)
        {
            try
            {
                var labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true" };
                await engine.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = name, Driver = "bridge", Labels = labels }, cancellationToken);
            }
            catch (Exception conflict) when (conflict.IsConflict())
            {
                // Another backend on this engine made it first, and the Engine saw it.
            }
        }

        var ours = await ListAsync(engine, name, managedOnly: true, cancellationToken);
        foreach (var duplicate in ours.OrderBy(network => network.Created).ThenBy(network => network.ID, StringComparer.Ordinal).Skip(1))
        {
            try
            {
                await engine.Networks.DeleteNetworkAsync(duplicate.ID, cancellationToken);
            }
            catch (DockerApiException inUseOrGone) when (inUseOrGone.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Conflict)
            {
                // Removed by another backend already, or joined by a container: the Engine keeps it.
            }
        }
    }

    /// <summary>Networks named exactly <paramref name="name"/> (the Engine's name filter matches parts of names too).</summary>
    private static async Task<List<NetworkResponse>> ListAsync(IDockerClient engine, string name, bool managedOnly, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } };
        if (managedOnly)
        {
            filters["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Managed}=true"] = true };
        }

        var networks = await engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, cancellationToken);
        return [.. networks.Where(network => network.Name == name)];
    }
}
