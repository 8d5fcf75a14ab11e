using Faas.Provider.Docker.Containers;
using Faas.Testing;
using static Faas.Provider.Docker.Tests.ProviderTestKit;

namespace Faas.Provider.Docker.Tests.Containers;

[Collection(DockerCollection.Name)]
public sealed class BridgeNetworkTests(DockerFixture fixture)
{
    [DockerFact]
    public async Task On_a_bridge_network_each_replica_is_published_on_a_loopback_port()
    {
        using var state = new TempDirectory("faas-docker-");
        var network = Unique("faas-net");
        await using (var provider = await fixture.StartProviderAsync(state, network))
        {
            var name = Unique("bridged");
            await provider.DeployAsync(Function(name, "cat") with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
            var ready = await WaitForReadyAsync(provider, name, 2);
            var container = (await fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}"))[0];
            var host = (await fixture.Engine.Containers.InspectContainerAsync(container.ID)).HostConfig!;

            Assert.All(ready, endpoint => Assert.Equal("127.0.0.1", endpoint.Host));
            Assert.Equal(2, ready.Select(endpoint => endpoint.Port).Distinct().Count());
            Assert.All(await Task.WhenAll(ready.Select(endpoint => InvokeAsync(endpoint, "over the bridge"))), answer => Assert.Equal("over the bridge", answer));
            Assert.Equal(network, host.NetworkMode);
            Assert.Equal("127.0.0.1", Assert.Single(host.PortBindings!["8080/tcp"]).HostIP);
            await provider.DeleteAsync(name, "", CancellationToken.None);
        }

        await fixture.Engine.Networks.DeleteNetworkAsync(network);
    }
}
