using System.Threading.Channels;
using Faas.Harness.Kubernetes;
using Faas.Provider.Wire;
using Faas.Testing.Kubernetes;
using k8s;
using k8s.Models;
using static Faas.Provider.Kubernetes.Tests.KubernetesProviderTests;

namespace Faas.Provider.Kubernetes.Tests.Logs;

/// <summary>
/// A function's log through the real API server's pod-log endpoint. Where pods must run, <see cref="KubeletDouble"/>
/// is their node: the API server finds it from the Node object and asks it for each container's log, as it would a kubelet.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class PodLogsTests(KubeControlPlaneFixture fixture)
{
    private KubeControlPlane Cluster => fixture.Plane;

    private IKubernetes Admin => Cluster.Admin;

    [KubeFact]
    public async Task Logs_of_pods_that_have_not_started_are_empty_and_following_waits_for_pods()
    {
        var ns = await Cluster.CreateNamespaceAsync("logs");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("quiet", ns), CancellationToken.None);
        Assert.True(await EventuallyAsync(() => Admin.CoreV1.ListNamespacedPod(ns).Items.Count > 0), "the controller-manager made no pod");

        var lines = await ReadLogsAsync(provider, new LogRequest("quiet", ns) { Tail = -1 });

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var following = Record.ExceptionAsync(async () =>
        {
            await foreach (var line in provider.GetLogsAsync(new LogRequest("quiet", ns) { Follow = true }, stop.Token))
            {
                lines.Add(line);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(1));
        var openAfterASecond = !following.IsCompleted;

        Assert.Empty(lines);
        Assert.True(openAfterASecond, "the followed stream ended while no pod runs");
        Assert.IsAssignableFrom<OperationCanceledException>(await following);
    }

    [KubeFact]
    public async Task The_pods_logs_come_merged_in_time_order_and_tail_since_and_instance_select_from_the_whole()
    {
        var ns = await Cluster.CreateNamespaceAsync("logs");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("chatty", ns) with { Labels = new() { ["com.openfaas.scale.min"] = "2" } }, CancellationToken.None);
        var (first, second) = await kubelet.RunPodsOfAsync(ns, "chatty", 2) switch { [var a, var b] => (a, b), _ => throw new InvalidOperationException() };
        var now = DateTimeOffset.UtcNow;
        kubelet.Write(ns, first, "chatty", now.AddSeconds(-40), "first 1");
        kubelet.Write(ns, second, "chatty", now.AddSeconds(-30), "second 1");
        kubelet.Write(ns, first, "chatty", now.AddSeconds(-20), "first 2");
        kubelet.Write(ns, second, "chatty", now.AddSeconds(-10), "second 2 with  spaces ");

        var all = await ReadLogsAsync(provider, new LogRequest("chatty", ns) { Tail = -1 });
        var lastThree = await ReadLogsAsync(provider, new LogRequest("chatty", ns) { Tail = 3 });
        var recent = await ReadLogsAsync(provider, new LogRequest("chatty", ns) { Since = now.AddSeconds(-25) });
        var one = await ReadLogsAsync(provider, new LogRequest("chatty", ns) { Instance = second });

        Assert.Equal(["first 1", "second 1", "first 2", "second 2 with  spaces "], all.Select(line => line.Text));
        Assert.Equal([first, second, first, second], all.Select(line => line.Instance));
        Assert.Equal(now.AddSeconds(-40).UtcTicks, all[0].Timestamp.UtcTicks);
        Assert.All(all, line => Assert.Equal(("chatty", ns), (line.Name, line.Namespace)));
        Assert.Equal(["second 1", "first 2", "second 2 with  spaces "], lastThree.Select(line => line.Text));
        Assert.Equal(["first 2", "second 2 with  spaces "], recent.Select(line => line.Text));
        Assert.Equal(["second 1", "second 2 with  spaces "], one.Select(line => line.Text));
        Assert.All(kubelet.Requests, request => Assert.Contains("timestamps=true", request, StringComparison.Ordinal));
    }

    [KubeFact]
    public async Task Following_streams_new_lines_of_running_pods_and_takes_in_a_pod_that_starts_later()
    {
        var ns = await Cluster.CreateNamespaceAsync("logs");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("stream", ns), CancellationToken.None);
        var first = Assert.Single(await kubelet.RunPodsOfAsync(ns, "stream", 1));
        kubelet.Write(ns, first, "stream", DateTimeOffset.UtcNow.AddSeconds(-5), "before");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var arrived = Channel.CreateUnbounded<LogMessage>();
        var following = Record.ExceptionAsync(async () =>
        {
            await foreach (var line in provider.GetLogsAsync(new LogRequest("stream", ns) { Follow = true }, stop.Token))
            {
                await arrived.Writer.WriteAsync(line);
            }
        });

        var before = await NextAsync(arrived);
        kubelet.Write(ns, first, "stream", DateTimeOffset.UtcNow, "live on the first");
        var live = await NextAsync(arrived);
        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = "stream", Namespace = ns, Replicas = 2 }, CancellationToken.None);
        var second = Assert.Single((await kubelet.RunPodsOfAsync(ns, "stream", 2)).Except([first]));
        var fromSecond = await WaitForLineAsync(arrived, () => kubelet.Write(ns, second, "stream", DateTimeOffset.UtcNow, "live on the second"));
        await stop.CancelAsync();

        Assert.Equal(("before", first), (before.Text, before.Instance));
        Assert.Equal(("live on the first", first), (live.Text, live.Instance));
        Assert.Equal(("live on the second", second), (fromSecond.Text, fromSecond.Instance));
        Assert.IsAssignableFrom<OperationCanceledException>(await following);
    }

    [KubeFact]
    public async Task A_gateway_the_cluster_does_not_let_read_pod_logs_is_refused_by_name_rather_than_shown_an_empty_log()
    {
        await Manifests.CreateAsync(Admin, [.. Manifests.Load("00-namespaces.yaml"), .. Manifests.Load("10-rbac.yaml")]);
        var ns = await Cluster.CreateNamespaceAsync("nologs");
        // The manifests' function role without its pods/log rule, bound as README binds it in another namespace.
        var role = await Admin.RbacAuthorizationV1.ReadClusterRoleAsync("faas-functions");
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "faas-functions-without-logs" },
            Rules = [.. role.Rules.Where(rule => !rule.Resources.Contains("pods/log"))],
        }, ns);
        await Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "faas-gateway" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "faas-functions-without-logs" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "faas-gateway", NamespaceProperty = "openfaas" }],
        }, ns);
        var token = await Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [] } }, "faas-gateway", "openfaas");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster, token.Status.Token));
        await provider.DeployAsync(Function("secretive", ns), CancellationToken.None);
        var pod = Assert.Single(await kubelet.RunPodsOfAsync(ns, "secretive", 1));
        kubelet.Write(ns, pod, "secretive", DateTimeOffset.UtcNow, "unseen");

        var read = await Assert.ThrowsAsync<ProviderException>(() => ReadLogsAsync(provider, new LogRequest("secretive", ns)));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var followed = await Assert.ThrowsAsync<ProviderException>(() => ReadLogsAsync(provider, new LogRequest("secretive", ns) { Follow = true }, stop.Token));

        Assert.Equal((ProviderError.Refused, ProviderError.Refused), (read.Kind, followed.Kind));
        Assert.Contains($"read the log of pod {pod} in namespace {ns}", read.Message, StringComparison.Ordinal);
        Assert.Contains($"read the log of pod {pod} in namespace {ns}", followed.Message, StringComparison.Ordinal);
        Assert.Empty(kubelet.Requests);
    }

    private static async Task<LogMessage> NextAsync(Channel<LogMessage> arrived)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await arrived.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>
    /// A pod that has just started is followed once the provider's watch sees it Running, which the test cannot observe:
    /// the line is written again until one arrives (each write is a new line, so the first to arrive is the proof).
    /// </summary>
    private static async Task<LogMessage> WaitForLineAsync(Channel<LogMessage> arrived, Action write)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            write();
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                return await arrived.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        throw new TimeoutException("no line of the pod that started later arrived in 20 s");
    }
}
