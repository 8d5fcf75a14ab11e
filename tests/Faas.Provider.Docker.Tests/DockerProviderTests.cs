using System.Globalization;
using ContainerListResponse = Docker.DotNet.Models.ContainerListResponse;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Wire;
using Faas.Testing;
using static Faas.Provider.Docker.Tests.ProviderTestKit;

namespace Faas.Provider.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class DockerProviderTests(DockerFixture fixture)
{
    private Task<IList<ContainerListResponse>> ContainersOf(string name) =>
        fixture.Engine.ContainersWithAsync($"{ContainerLabels.Function}={name}", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}");

    [DockerFact]
    public async Task A_deployed_function_runs_in_a_labelled_container_on_a_loopback_port()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("echo");
        await provider.DeployAsync(Function(name, "cat") with { EnvVars = new() { ["GREETING"] = "hi" }, Labels = new() { ["team"] = "blue" } }, CancellationToken.None);

        var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));
        var container = Assert.Single(await ContainersOf(name));
        var details = await fixture.Engine.Containers.InspectContainerAsync(container.ID);
        var status = await provider.GetAsync(name, "", CancellationToken.None);

        Assert.Equal("hello docker", await InvokeAsync(ready, "hello docker"));
        Assert.Equal("127.0.0.1", ready.Host);
        Assert.Equal("openfaas-fn", container.Labels[ContainerLabels.Namespace]);
        Assert.Equal("blue", container.Labels["team"]);
        Assert.Equal(DockerProviderOptions.DefaultNetwork, details.HostConfig!.NetworkMode);
        Assert.Equal(ready.Port.ToString(CultureInfo.InvariantCulture), Assert.Single(details.HostConfig.PortBindings!["8080/tcp"]).HostPort);
        Assert.Contains("GREETING=hi", details.Config!.Env!);
        Assert.Equal((1UL, 1UL), (status.Replicas, status.AvailableReplicas));
        Assert.Equal("faas-docker", provider.Info.Provider);
    }

    [DockerFact]
    public async Task Scaling_goes_from_one_to_three_replicas_on_distinct_ports_and_to_zero_keeping_the_definition()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("scaled");
        await provider.DeployAsync(Function(name, "sh -c 'echo $FAAS_REPLICA_ID'"), CancellationToken.None);
        await WaitForReadyAsync(provider, name, 1);

        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = name, Replicas = 3 }, CancellationToken.None);
        var three = await WaitForReadyAsync(provider, name, 3);
        var answers = await Task.WhenAll(three.Select(endpoint => InvokeAsync(endpoint)));
        var containersAtThree = await ContainersOf(name);

        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = name, Replicas = 0 }, CancellationToken.None);
        var containersAtZero = await ContainersOf(name);
        var status = await provider.GetAsync(name, "", CancellationToken.None);

        Assert.Equal(3, three.Select(endpoint => endpoint.Port).Distinct().Count());
        Assert.Equal(3, answers.Select(answer => answer.Trim()).Distinct().Count());
        Assert.Equal(3, containersAtThree.Count);
        Assert.Empty(containersAtZero);
        Assert.Empty(provider.GetReadyEndpoints(new FunctionKey(name, "openfaas-fn")));
        Assert.Equal((0UL, 0UL), (status.Replicas, status.AvailableReplicas));
    }

    [DockerFact]
    public async Task Secrets_are_mounted_read_only_at_the_openfaas_path()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("secretive");
        await provider.CreateSecretAsync(new Secret { Name = "api-key", Value = "s3cr3t" }, CancellationToken.None);
        await provider.DeployAsync(Function(name, "sh -c 'cat /var/openfaas/secrets/api-key; echo; echo x > /var/openfaas/secrets/api-key 2>/dev/null || echo read-only'")
            with { Secrets = ["api-key"] }, CancellationToken.None);

        var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));

        Assert.Equal("s3cr3t\nread-only\n", await InvokeAsync(ready));
    }

    [DockerFact]
    public async Task A_function_running_as_a_non_root_user_reads_its_secrets()
    {
        // OpenFaaS images run as a non-root user (app, 1000): the mounted secrets must be readable by it.
        await fixture.Engine.BuildAsync($"FROM {BaseImages.Watchdog}\nUSER 1000:1000\n", "faas-test/watchdog-as-app:1");
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("unprivileged");
        await provider.CreateSecretAsync(new Secret { Name = "db-password", Value = "pa55" }, CancellationToken.None);
        await provider.DeployAsync(Function(name, "sh -c 'id -u; cat /var/openfaas/secrets/db-password'")
            with { Image = "faas-test/watchdog-as-app:1", Secrets = ["db-password"] }, CancellationToken.None);

        var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));

        Assert.Equal("1000\npa55", await InvokeAsync(ready));
    }

    [DockerFact]
    public async Task A_memory_limit_under_the_engines_minimum_is_invalid()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("tiny");

        var error = await Assert.ThrowsAsync<ProviderException>(() =>
            provider.DeployAsync(Function(name, "cat") with { Limits = new FunctionResources { Memory = "4Mi" } }, CancellationToken.None));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains("memory limit 4Mi is under the Docker Engine's minimum of 6 MB", error.Message);
        Assert.Empty(await ContainersOf(name));
    }

    [DockerFact]
    public async Task A_missing_secret_is_invalid_and_leaves_nothing_behind()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("needy");

        var error = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function(name, "cat") with { Secrets = ["absent"] }, CancellationToken.None));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains("required secret 'absent'", error.Message);
        Assert.Empty(await ContainersOf(name));
        Assert.Empty(await fixture.Engine.VolumesWithAsync($"{ContainerLabels.Function}={name}"));
    }

    [DockerFact]
    public async Task A_read_only_root_filesystem_is_enforced_and_tmp_stays_writable()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("readonly");
        await provider.DeployAsync(Function(name, "sh -c 'touch /written 2>/dev/null && echo root-writable || echo root-read-only; touch /tmp/scratch && echo tmp-writable'")
            with { ReadOnlyRootFilesystem = true }, CancellationToken.None);

        var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));

        Assert.Equal("root-read-only\ntmp-writable\n", await InvokeAsync(ready));
    }

    [DockerFact]
    public async Task Memory_and_cpu_limits_reach_the_container()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("limited");
        await provider.DeployAsync(Function(name, "cat") with
        {
            Limits = new FunctionResources { Memory = "128Mi", Cpu = "500m" },
            Requests = new FunctionResources { Memory = "64Mi", Cpu = "250m" },
        }, CancellationToken.None);
        await WaitForReadyAsync(provider, name, 1);

        var host = (await fixture.Engine.Containers.InspectContainerAsync(Assert.Single(await ContainersOf(name)).ID)).HostConfig!;

        Assert.Equal(128L * 1024 * 1024, host.Memory);
        Assert.Equal(64L * 1024 * 1024, host.MemoryReservation);
        Assert.Equal(500_000_000L, host.NanoCPUs);
        Assert.Equal(256L, host.CPUShares);
    }

    [DockerFact]
    public async Task An_image_the_engine_does_not_have_and_cannot_pull_is_invalid_and_leaves_nothing_behind()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("ghost");

        var error = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(
            new FunctionDeployment { Service = name, Image = "faas-test/no-such-image:1" }, CancellationToken.None));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains("image faas-test/no-such-image:1 is not on the Docker Engine and could not be pulled", error.Message);
        Assert.Empty(await ContainersOf(name));
        await Assert.ThrowsAsync<ProviderException>(() => provider.GetAsync(name, "", CancellationToken.None));
    }

    [Fact]
    public async Task No_engine_on_the_socket_is_a_clear_error()
    {
        using var state = new TempDirectory("faas-docker-");

        var error = await Assert.ThrowsAsync<ProviderStartException>(() => DockerProvider.StartAsync(new DockerProviderOptions { Socket = state.Combine("absent.sock"), StateDirectory = state.Path }));

        Assert.Contains($"no Docker Engine answers on {state.Combine("absent.sock")}", error.Message);
        Assert.Equal(1, error.ExitCode);
    }

    [DockerFact]
    public async Task Removing_a_function_leaves_no_container_and_no_definition()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("doomed");
        await provider.DeployAsync(Function(name, "cat") with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        await WaitForReadyAsync(provider, name, 2);

        await provider.DeleteAsync(name, "", CancellationToken.None);

        Assert.Empty(await ContainersOf(name));
        Assert.Empty(await fixture.Engine.VolumesWithAsync($"{ContainerLabels.Function}={name}"));
        Assert.DoesNotContain(await provider.ListAsync("", CancellationToken.None), f => f.Name == name);
    }

    [DockerFact]
    public async Task An_update_rolls_to_new_containers_and_removes_the_old_ones()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("rolled");
        await provider.DeployAsync(Function(name, "echo v1"), CancellationToken.None);
        var before = Assert.Single(await WaitForReadyAsync(provider, name, 1));
        var oldContainer = Assert.Single(await ContainersOf(name)).ID;

        await provider.UpdateAsync(Function(name, "echo v2"), CancellationToken.None);

        // The update answers at once; the new container replaces the old one in the background.
        Assert.True(await ProcessTable.EventuallyAsync(async () =>
            provider.GetReadyEndpoints(new FunctionKey(name, "openfaas-fn")) is [var only] && only.Instance != before.Instance
            && (await ContainersOf(name)).Count == 1, TimeSpan.FromSeconds(60)), "the update did not roll to one new container");
        var after = Assert.Single(await WaitForReadyAsync(provider, name, 1));
        var containers = await ContainersOf(name);
        Assert.Equal("v2\n", await InvokeAsync(after));
        Assert.NotEqual(before.Instance, after.Instance);
        Assert.DoesNotContain(containers, c => c.ID == oldContainer);
        Assert.Single(containers);
    }
}
