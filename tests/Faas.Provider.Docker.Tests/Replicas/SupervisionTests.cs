using Docker.DotNet.Models;
using Faas.Provider.Docker.Containers;
using Faas.Testing;
using static Faas.Provider.Docker.Tests.ProviderTestKit;

namespace Faas.Provider.Docker.Tests.Replicas;

[Collection(DockerCollection.Name)]
public sealed class SupervisionTests(DockerFixture fixture)
{
    private Task<IList<ContainerListResponse>> ContainersOf(string name) =>
        fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}");

    [DockerFact]
    public async Task A_killed_container_is_replaced_and_counted_as_a_restart()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("phoenix");
        await provider.DeployAsync(Function(name, "cat"), CancellationToken.None);
        var first = Assert.Single(await WaitForReadyAsync(provider, name, 1));
        var killed = Assert.Single(await ContainersOf(name)).ID;

        await fixture.Engine.Containers.KillContainerAsync(killed, new ContainerKillParameters { Signal = "SIGKILL" });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<ReplicaEndpoint> ready;
        do
        {
            await Task.Delay(100);
            ready = provider.GetReadyEndpoints(new FunctionKey(name, "openfaas-fn"));
        }
        while ((ready.Count != 1 || ready[0].Instance == first.Instance) && DateTime.UtcNow < deadline);

        var replacement = Assert.Single(ready);
        var status = await provider.GetAsync(name, "", CancellationToken.None);
        var containers = await ContainersOf(name);
        Assert.NotEqual(first.Instance, replacement.Instance);
        Assert.Equal("back", await InvokeAsync(replacement, "back"));
        Assert.Equal(1, status.Restarts);
        Assert.StartsWith("exit code 137", status.LastExit);
        Assert.DoesNotContain(containers, c => c.ID == killed);
        Assert.Single(containers);
    }

    [DockerFact]
    public async Task A_restarted_backend_adopts_running_containers_without_replacing_them()
    {
        using var state = new TempDirectory("faas-docker-");
        var name = Unique("adopted");
        var idle = Unique("idle");
        string[] before;
        await using (var provider = await fixture.StartProviderAsync(state))
        {
            await provider.DeployAsync(Function(name, "cat") with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
            await provider.DeployAsync(Function(idle, "cat"), CancellationToken.None);
            await WaitForReadyAsync(provider, name, 2);
            await WaitForReadyAsync(provider, idle, 1);
            await provider.ScaleAsync(new Wire.ScaleServiceRequest { ServiceName = idle, Replicas = 0 }, CancellationToken.None);
            before = [.. (await ContainersOf(name)).Select(c => c.ID).Order()];
        }

        var survived = (await ContainersOf(name)).Where(c => c.State == "running").Select(c => c.ID).Order().ToArray();
        await using var restarted = await fixture.StartProviderAsync(state);
        var ready = await WaitForReadyAsync(restarted, name, 2);
        var status = await restarted.GetAsync(name, "", CancellationToken.None);
        var idleStatus = await restarted.GetAsync(idle, "", CancellationToken.None);

        Assert.Equal(before, survived);
        Assert.Equal(before, (await ContainersOf(name)).Select(c => c.ID).Order().ToArray());
        Assert.All(await Task.WhenAll(ready.Select(endpoint => InvokeAsync(endpoint, "still here"))), answer => Assert.Equal("still here", answer));
        Assert.Equal((2UL, 0), (status.Replicas, status.Restarts));
        Assert.Equal(0UL, idleStatus.Replicas);
    }
}
