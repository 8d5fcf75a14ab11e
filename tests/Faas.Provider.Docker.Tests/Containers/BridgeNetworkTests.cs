using Faas.Provider.Docker.Containers;
using Faas.Provider.Wire;
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

    [DockerFact]
    public async Task On_a_bridge_network_replicas_of_an_image_with_hard_wired_ports_do_not_collide()
    {
        // As OpenFaaS templates and the classic watchdog ship them: the function's upstream fixed at 127.0.0.1:8082 and
        // another fixed listener (as an exporter on 9091). A second replica that cannot bind either fails.
        await fixture.Engine.BuildAsync($$"""
            FROM {{BaseImages.Watchdog}}
            RUN printf '#!/bin/sh\nset -e\nbusybox httpd -p 127.0.0.1:9091 -h /tmp\nmkdir -p /tmp/www\nhostname > /tmp/www/index.html\nexec busybox httpd -f -p 127.0.0.1:8082 -h /tmp/www\n' > /usr/bin/wired && chmod 755 /usr/bin/wired
            ENV mode=http upstream_url=http://127.0.0.1:8082 fprocess=/usr/bin/wired
            """, "faas-test/hard-wired-ports:1");
        using var state = new TempDirectory("faas-docker-");
        var network = Unique("faas-net");
        await using (var provider = await fixture.StartProviderAsync(state, network))
        {
            var name = Unique("wired");
            await provider.DeployAsync(new FunctionDeployment { Service = name, Image = "faas-test/hard-wired-ports:1", Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
            var ready = await WaitForReadyAsync(provider, name, 2);
            var answers = await Task.WhenAll(ready.Select(endpoint => TestHttp.Client.GetStringAsync($"http://{endpoint.Host}:{endpoint.Port}/")));

            Assert.Equal(2, answers.Select(answer => answer.Trim()).Distinct().Count());
            await provider.DeleteAsync(name, "", CancellationToken.None);
        }

        await fixture.Engine.Networks.DeleteNetworkAsync(network);
    }
}
