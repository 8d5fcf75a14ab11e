using Faas.Harness.Kubernetes;
using Faas.Provider.Wire;
using Faas.Testing.Kubernetes;
using static Faas.Provider.Kubernetes.Tests.KubernetesProviderTests;

namespace Faas.Provider.Kubernetes.Tests.Pods;

/// <summary>
/// A function's restarts, last exit and crash looping, read from its pods as their node reports them
/// (<see cref="KubeletDouble"/>) through the real API server, when none of its replicas is ready.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class PodHealthTests(KubeControlPlaneFixture fixture)
{
    private KubeControlPlane Cluster => fixture.Plane;

    [KubeFact]
    public async Task A_function_whose_pods_crash_loop_reports_it_with_their_restarts_and_last_exit_until_one_is_ready()
    {
        var ns = await Cluster.CreateNamespaceAsync("health");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("fragile", ns) with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        var pods = await kubelet.PendingPodsOfAsync(ns, "fragile", 2);
        var starting = await provider.GetAsync("fragile", ns, CancellationToken.None);

        await kubelet.CrashLoopAsync(ns, pods[0], exitCode: 3, restarts: 4, message: "cannot open /var/openfaas/secrets/key\n");
        var crashing = await EventuallyGetAsync(provider, "fragile", ns, status => status.CrashLooping);
        await kubelet.RunAsync(ns, pods[1]);
        var serving = await EventuallyGetAsync(provider, "fragile", ns, status => status.AvailableReplicas == 1);

        Assert.Equal((false, 0, null), (starting.CrashLooping, starting.Restarts, starting.LastExit));
        Assert.True(crashing.CrashLooping, "a pod in CrashLoopBackOff was not reported");
        Assert.Equal(4, crashing.Restarts);
        Assert.StartsWith("exit code 3 (Error) at ", crashing.LastExit);
        Assert.EndsWith(": cannot open /var/openfaas/secrets/key", crashing.LastExit);
        Assert.False(serving.CrashLooping, "a function with a ready replica was reported as crash looping");
    }

    [KubeFact]
    public async Task A_function_whose_image_cannot_be_pulled_reports_why_and_its_log_leaves_the_pod_out()
    {
        var ns = await Cluster.CreateNamespaceAsync("health");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("unpulled", ns), CancellationToken.None);
        var pod = Assert.Single(await kubelet.PendingPodsOfAsync(ns, "unpulled", 1));

        await kubelet.FailToStartAsync(ns, pod, "ErrImagePull", "rpc error: code = NotFound desc = example/unpulled:1: not found");
        var failing = await EventuallyGetAsync(provider, "unpulled", ns, status => status.CrashLooping);
        var lines = await ReadLogsAsync(provider, new LogRequest("unpulled", ns) { Tail = -1 });

        Assert.Equal("ErrImagePull: rpc error: code = NotFound desc = example/unpulled:1: not found", failing.LastExit);
        Assert.Equal(0, failing.Restarts);
        Assert.Empty(lines);
        Assert.Contains(kubelet.Requests, request => request.StartsWith($"/containerLogs/{ns}/{pod}/unpulled", StringComparison.Ordinal));
    }

    [KubeFact]
    public async Task A_hung_api_server_does_not_hold_up_the_status_of_a_function_without_ready_replicas()
    {
        var ns = await Cluster.CreateNamespaceAsync("health");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("waiting", ns), CancellationToken.None);
        var before = await provider.GetAsync("waiting", ns, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        TimeSpan took;
        FunctionStatus during;
        Cluster.PauseApiServer();
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            during = await provider.GetAsync("waiting", ns, CancellationToken.None);
            took = started.Elapsed;
        }
        finally
        {
            Cluster.ResumeApiServer();
        }

        Assert.Equal((1UL, 0UL), (before.Replicas, before.AvailableReplicas));
        Assert.Equal(("waiting", false), (during.Name, during.CrashLooping));
        Assert.True(took < TimeSpan.FromSeconds(5), $"the status took {took} while the API server hung");
    }

    /// <summary>The status once <paramref name="done"/> holds (pods are read at most every 2 s), else the last one read.</summary>
    private static async Task<FunctionStatus> EventuallyGetAsync(KubernetesProvider provider, string name, string ns, Func<FunctionStatus, bool> done)
    {
        var status = await provider.GetAsync(name, ns, CancellationToken.None);
        for (var poll = 0; poll < 100 && !done(status); poll++)
        {
            await Task.Delay(100);
            status = await provider.GetAsync(name, ns, CancellationToken.None);
        }

        return status;
    }
}
