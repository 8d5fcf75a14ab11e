using Faas.Provider.Docker.Containers;
using Faas.Provider.Wire;
using Faas.Testing;
using static Faas.Provider.Docker.Tests.ProviderTestKit;

namespace Faas.Provider.Docker.Tests.Containers;

[Collection(DockerCollection.Name)]
public sealed class NetworkTests(DockerFixture fixture)
{
    [DockerFact]
    public async Task By_default_each_replica_is_on_the_faas_bridge_and_published_on_a_loopback_port()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("bridged");
        await provider.DeployAsync(Function(name, "cat") with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        var ready = await WaitForReadyAsync(provider, name, 2);
        var container = (await fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}"))[0];
        var host = (await fixture.Engine.Containers.InspectContainerAsync(container.ID)).HostConfig!;
        var network = await fixture.Engine.Networks.InspectNetworkAsync(DockerProviderOptions.DefaultNetwork);

        Assert.All(ready, endpoint => Assert.Equal("127.0.0.1", endpoint.Host));
        Assert.Equal(2, ready.Select(endpoint => endpoint.Port).Distinct().Count());
        Assert.All(await Task.WhenAll(ready.Select(endpoint => InvokeAsync(endpoint, "over the bridge"))), answer => Assert.Equal("over the bridge", answer));
        Assert.Equal(DockerProviderOptions.DefaultNetwork, host.NetworkMode);
        Assert.Equal("127.0.0.1", Assert.Single(host.PortBindings!["8080/tcp"]).HostIP);
        Assert.Equal(("bridge", "true"), (network.Driver, network.Labels[ContainerLabels.Managed]));
        await provider.DeleteAsync(name, "", CancellationToken.None);
    }

    [DockerFact]
    public async Task Replicas_of_an_image_with_hard_wired_ports_do_not_collide_with_default_settings()
    {
        // As OpenFaaS templates ship them: the function's upstream fixed at 127.0.0.1:8082 and another fixed listener
        // (an exporter on 9091). A second replica in the same network namespace could bind neither.
        await fixture.Engine.BuildAsync($$"""
            FROM {{BaseImages.Watchdog}}
            RUN printf '#!/bin/sh\nset -e\nbusybox httpd -p 127.0.0.1:9091 -h /tmp\nmkdir -p /tmp/www\nhostname > /tmp/www/index.html\nexec busybox httpd -f -p 127.0.0.1:8082 -h /tmp/www\n' > /usr/bin/wired && chmod 755 /usr/bin/wired
            ENV mode=http upstream_url=http://127.0.0.1:8082 fprocess=/usr/bin/wired
            """, "faas-test/hard-wired-ports:1");

        await AssertTwoDistinctReplicasAsync("faas-test/hard-wired-ports:1", "wired");
    }

    [DockerFact]
    public async Task Replicas_of_a_classic_watchdog_image_listening_on_8080_with_metrics_on_8081_run_side_by_side()
    {
        // The classic fwatchdog binds 0.0.0.0:8080 and its metrics on 8081 whatever the environment says; this stand-in
        // binds both the same way (no registry here to pull the real one) and answers /_/health as it does.
        await fixture.Engine.BuildAsync($$"""
            FROM {{BaseImages.Busybox}}
            RUN mkdir -p /www/_ /metrics /usr/bin && echo OK > /www/_/health && echo 'http_requests_total 0' > /metrics/index.html \
             && printf '#!/bin/sh\nset -e\nhostname > /www/index.html\nbusybox httpd -p 0.0.0.0:8081 -h /metrics\nexec busybox httpd -f -p 0.0.0.0:8080 -h /www\n' > /usr/bin/fwatchdog && chmod 755 /usr/bin/fwatchdog
            CMD ["fwatchdog"]
            """, "faas-test/classic-watchdog:1");

        await AssertTwoDistinctReplicasAsync("faas-test/classic-watchdog:1", "classic");
    }

    [DockerFact]
    public async Task On_host_networking_each_replica_gets_ports_of_its_own_from_the_environment()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state, DockerProviderOptions.HostNetwork);
        var name = Unique("hosted");
        await provider.DeployAsync(Function(name, "sh -c 'echo $FAAS_REPLICA_ID'") with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        var ready = await WaitForReadyAsync(provider, name, 2);
        var container = (await fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}"))[0];
        var details = await fixture.Engine.Containers.InspectContainerAsync(container.ID);

        Assert.Equal("host", details.HostConfig!.NetworkMode);
        Assert.Equal(2, ready.Select(endpoint => endpoint.Port).Distinct().Count());
        Assert.Equal(2, (await Task.WhenAll(ready.Select(endpoint => InvokeAsync(endpoint)))).Select(answer => answer.Trim()).Distinct().Count());
        Assert.Contains(details.Config!.Env!, variable => variable.StartsWith("metrics_port=", StringComparison.Ordinal));
        await provider.DeleteAsync(name, "", CancellationToken.None);
    }

    [DockerFact]
    public async Task A_named_network_that_is_missing_is_created_as_a_bridge()
    {
        using var state = new TempDirectory("faas-docker-");
        var network = Unique("faas-net");
        await using (var provider = await fixture.StartProviderAsync(state, network))
        {
            var name = Unique("named");
            await provider.DeployAsync(Function(name, "cat"), CancellationToken.None);
            var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));
            var container = Assert.Single(await fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}"));

            Assert.Equal("on my network", await InvokeAsync(ready, "on my network"));
            Assert.Equal(network, (await fixture.Engine.Containers.InspectContainerAsync(container.ID)).HostConfig!.NetworkMode);
            Assert.Equal("bridge", (await fixture.Engine.Networks.InspectNetworkAsync(network)).Driver);
            await provider.DeleteAsync(name, "", CancellationToken.None);
        }

        await fixture.Engine.Networks.DeleteNetworkAsync(network);
    }

    [DockerFact]
    public async Task Gateways_starting_together_on_a_new_network_make_it_once()
    {
        // The Engine (before API 1.44) makes a second network of the same name unless told to check: containers then
        // fail to start with "network ... is ambiguous".
        using var first = new TempDirectory("faas-docker-");
        using var second = new TempDirectory("faas-docker-");
        var network = Unique("faas-net");
        var providers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => fixture.StartProviderAsync(i % 2 == 0 ? first : second, network)));
        try
        {
            var made = await fixture.Engine.Networks.ListNetworksAsync(new() { Filters = ContainerLabels.Filter($"{ContainerLabels.Managed}=true") });
            var name = Unique("joined");
            await providers[1].DeployAsync(Function(name, "cat"), CancellationToken.None);
            var ready = Assert.Single(await WaitForReadyAsync(providers[1], name, 1));

            Assert.Single(made, n => n.Name == network);
            Assert.Equal("joined", await InvokeAsync(ready, "joined"));
            await providers[1].DeleteAsync(name, "", CancellationToken.None);
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }

            foreach (var made in await fixture.Engine.Networks.ListNetworksAsync())
            {
                if (made.Name == network)
                {
                    await fixture.Engine.Networks.DeleteNetworkAsync(made.ID);
                }
            }
        }
    }

    /// <summary>Two replicas of <paramref name="image"/> on default settings, each answering <c>GET /</c> with its own host name.</summary>
    private async Task AssertTwoDistinctReplicasAsync(string image, string prefix)
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique(prefix);
        await provider.DeployAsync(new FunctionDeployment { Service = name, Image = image, Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        var ready = await WaitForReadyAsync(provider, name, 2);
        var answers = await Task.WhenAll(ready.Select(endpoint => TestHttp.Client.GetStringAsync($"http://{endpoint.Host}:{endpoint.Port}/")));
        var status = await provider.GetAsync(name, "", CancellationToken.None);

        Assert.Equal(2, answers.Select(answer => answer.Trim()).Distinct().Count());
        Assert.Equal(0, status.Restarts);
        await provider.DeleteAsync(name, "", CancellationToken.None);
    }
}
