using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Posix;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Host.Supervision;

namespace Faas.Provider.Docker.Replicas;

/// <summary>Starts a replica as a container of the version's image, its watchdog on a loopback port of the host.</summary>
internal sealed class ContainerDriver(IDockerClient engine, DockerProviderOptions options) : IReplicaDriver<ContainerVersion>
{
    public async Task<IRunningReplica> StartAsync(ContainerVersion version, string instance, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var name = ContainerNames.NewReplica(version.Key);
        var spec = ReplicaSpec.Create(version, options, name, ContainerNames.InstanceOf(name), port);
        try
        {
            var id = (await engine.Containers.CreateContainerAsync(spec, cancellationToken)).ID;
            try
            {
                await engine.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);
            }
            catch (DockerApiException)
            {
                await engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
                throw;
            }

            // Watched only once started: the engine's wait answers at once for a container that is not running yet.
            return new ContainerReplica(engine, id, name, port);
        }
        catch (Exception error) when (error is DockerApiException or HttpRequestException)
        {
            throw new ReplicaStartException($"the engine did not start a container: {EngineErrors.Reason(error)}", error);
        }
    }

    /// <summary>A container a previous run left running, supervised from now on.</summary>
    public IRunningReplica Adopt(string id, string name, int port) => new ContainerReplica(engine, id, name, port);
}
