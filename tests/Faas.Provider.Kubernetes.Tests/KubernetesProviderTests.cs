using Faas.Provider.Wire;
using Faas.Harness.Kubernetes;
using Faas.Testing.Kubernetes;
using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Tests;

[CollectionDefinition(Name)]
public sealed class KubeCollection : ICollectionFixture<KubeControlPlaneFixture>
{
    public const string Name = "kubernetes";
}

/// <summary>The backend against a real kube-apiserver and controller-manager (<see cref="KubeControlPlane"/>), as the admin.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesProviderTests(KubeControlPlaneFixture fixture)
{
    private KubeControlPlane Cluster => fixture.Plane;

    private IKubernetes Admin => Cluster.Admin;

    internal static FunctionDeployment Function(string name, string @namespace) => new() { Service = name, Namespace = @namespace, Image = "example/" + name + ":1", EnvProcess = "cat" };

    internal static KubernetesProviderOptions Options(KubeControlPlane cluster, string token = KubeControlPlane.AdminToken, Action<KubernetesProviderOptions>? change = null)
    {
        var options = new KubernetesProviderOptions { Kubeconfig = cluster.KubeconfigFor(token), LeaderElection = false };
        change?.Invoke(options);
        return options;
    }

    [KubeFact]
    public async Task A_deploy_creates_a_deployment_at_scale_min_and_a_service_and_a_second_is_a_conflict()
    {
        var ns = await Cluster.CreateNamespaceAsync("deploy");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));

        await provider.DeployAsync(Function("hello", ns) with { Labels = new() { ["com.openfaas.scale.min"] = "3" } }, CancellationToken.None);

        var deployment = await Admin.AppsV1.ReadNamespacedDeploymentAsync("hello", ns);
        var service = await Admin.CoreV1.ReadNamespacedServiceAsync("hello", ns);
        var status = await provider.GetAsync("hello", ns, CancellationToken.None);
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("hello", deployment.Spec.Selector.MatchLabels["faas_function"]);
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal(("hello", "example/hello:1", "cat", 3UL), (status.Name, status.Image, status.EnvProcess, status.Replicas));
        var again = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("hello", ns), CancellationToken.None));
        Assert.Equal(ProviderError.Conflict, again.Kind);
    }

    [KubeFact]
    public async Task Available_replicas_are_the_pods_their_node_reports_ready()
    {
        var ns = await Cluster.CreateNamespaceAsync("ready");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("steady", ns) with { Labels = new() { ["com.openfaas.scale.min"] = "3" } }, CancellationToken.None);
        Assert.True(await EventuallyAsync(() => Admin.CoreV1.ListNamespacedPod(ns).Items.Count == 3), "the controller-manager did not make 3 pods");
        var pending = await provider.GetAsync("steady", ns, CancellationToken.None);

        var pods = Admin.CoreV1.ListNamespacedPod(ns).Items;
        await kubelet.RunAsync(ns, pods[0].Metadata.Name);
        await kubelet.RunAsync(ns, pods[1].Metadata.Name);
        var available = 0UL;
        for (var poll = 0; poll < 200 && available != 2; poll++)
        {
            await Task.Delay(50);
            available = (await provider.GetAsync("steady", ns, CancellationToken.None)).AvailableReplicas;
        }

        var listed = Assert.Single(await provider.ListAsync(ns, CancellationToken.None));

        Assert.Equal((3UL, 0UL), (pending.Replicas, pending.AvailableReplicas));
        Assert.Equal(2UL, available);
        Assert.Equal((3UL, 2UL), (listed.Replicas, listed.AvailableReplicas));
    }

    [KubeFact]
    public async Task An_update_keeps_the_replicas_and_what_others_added_to_the_deployment()
    {
        var ns = await Cluster.CreateNamespaceAsync("update");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("busy", ns), CancellationToken.None);
        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = "busy", Namespace = ns, Replicas = 4 }, CancellationToken.None);
        var patch = new V1Patch("""{"metadata":{"annotations":{"team":"ops"}},"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd"},"tolerations":[{"key":"dedicated","operator":"Equal","value":"faas","effect":"NoSchedule"}]}}}}""", V1Patch.PatchType.MergePatch);
        await Admin.AppsV1.PatchNamespacedDeploymentAsync(patch, "busy", ns);

        await provider.UpdateAsync(Function("busy", ns) with { Image = "example/busy:2", Annotations = new() { ["topic"] = "orders" } }, CancellationToken.None);

        var deployment = await Admin.AppsV1.ReadNamespacedDeploymentAsync("busy", ns);
        var status = await provider.GetAsync("busy", ns, CancellationToken.None);
        Assert.Equal(("example/busy:2", 4UL), (status.Image, status.Replicas));
        Assert.Equal("ssd", deployment.Spec.Template.Spec.NodeSelector["disk"]);
        Assert.Equal("dedicated", Assert.Single(deployment.Spec.Template.Spec.Tolerations).Key);
        Assert.Equal(("ops", "orders"), (deployment.Metadata.Annotations["team"], deployment.Metadata.Annotations["topic"]));
        var missing = await Assert.ThrowsAsync<ProviderException>(() => provider.UpdateAsync(Function("ghost", ns), CancellationToken.None));
        Assert.Equal(ProviderError.NotFound, missing.Kind);
    }

    [KubeFact]
    public async Task Nothing_acts_outside_function_namespaces_or_on_objects_the_platform_did_not_make()
    {
        var ns = await Cluster.CreateNamespaceAsync("fn");
        var system = await Cluster.CreateNamespaceAsync("system", functionNamespace: false);
        var victim = FunctionObjects(Function("victim", system));
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(victim, system);
        await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "admin-token" }, StringData = new Dictionary<string, string> { ["t"] = "x" } }, system);
        await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "regcred" }, StringData = new Dictionary<string, string> { ["t"] = "x" } }, ns);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));

        var refusals = new List<ProviderException>
        {
            await Assert.ThrowsAsync<ProviderException>(() => provider.ScaleAsync(new ScaleServiceRequest { ServiceName = "victim", Namespace = system, Replicas = 0 }, CancellationToken.None)),
            await Assert.ThrowsAsync<ProviderException>(() => provider.UpdateSecretAsync(new Secret { Name = "admin-token", Namespace = system, Value = "mine" }, CancellationToken.None)),
            await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteAsync("victim", system, CancellationToken.None)),
            await Assert.ThrowsAsync<ProviderException>(() => provider.GetAsync("victim", system, CancellationToken.None)),
            await Assert.ThrowsAsync<ProviderException>(() => provider.ListSecretsAsync(system, CancellationToken.None)),
            await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("sneaky", system), CancellationToken.None)),
        };
        var listed = await provider.ListSecretsAsync(ns, CancellationToken.None);
        var regcredUpdate = await Assert.ThrowsAsync<ProviderException>(() => provider.UpdateSecretAsync(new Secret { Name = "regcred", Namespace = ns, Value = "mine" }, CancellationToken.None));
        var regcredDelete = await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteSecretAsync("regcred", ns, CancellationToken.None));

        Assert.All(refusals, refusal => Assert.Equal((ProviderError.Invalid, $"namespace {system} is not a function namespace: it needs the label openfaas=1"), (refusal.Kind, refusal.Message)));
        Assert.Equal(1, (await Admin.AppsV1.ReadNamespacedDeploymentAsync("victim", system)).Spec.Replicas);
        Assert.Equal("x", System.Text.Encoding.UTF8.GetString((await Admin.CoreV1.ReadNamespacedSecretAsync("admin-token", system)).Data["t"]));
        Assert.Empty(listed);
        Assert.Equal((ProviderError.NotFound, ProviderError.NotFound), (regcredUpdate.Kind, regcredDelete.Kind));
        Assert.Equal("x", System.Text.Encoding.UTF8.GetString((await Admin.CoreV1.ReadNamespacedSecretAsync("regcred", ns)).Data["t"]));
        Assert.Equal([ns], (await provider.ListNamespacesAsync(CancellationToken.None)).Where(name => name == ns || name == system));
    }

    [KubeFact]
    public async Task What_the_server_would_refuse_is_invalid_before_anything_is_created()
    {
        var ns = await Cluster.CreateNamespaceAsync("invalid");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        var longName = "f" + new string('x', 50);

        var digitFirst = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("1func", ns), CancellationToken.None));
        var spaced = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("spaced", ns) with { Image = "example/a b:1" }, CancellationToken.None));
        var tooLong = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function(longName, ns) with { Secrets = ["s"] }, CancellationToken.None));
        var missingSecret = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("needy", ns) with { Secrets = ["absent"] }, CancellationToken.None));
        var badQuantity = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("greedy", ns) with { Limits = new FunctionResources { Memory = "-5Mi" } }, CancellationToken.None));

        // Only the server knows this one: annotations may total 256 KiB. Its 422 is a 400 with its message.
        var hugeAnnotation = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("annotated", ns) with { Annotations = new() { ["note"] = new string('x', 300_000) } }, CancellationToken.None));

        Assert.All([digitFirst, spaced, tooLong, missingSecret, badQuantity, hugeAnnotation], error => Assert.Equal(ProviderError.Invalid, error.Kind));
        Assert.Contains("metadata.annotations: Too long", hugeAnnotation.Message);
        var pathLike = await Assert.ThrowsAsync<ProviderException>(() => provider.GetAsync("../secrets", ns, CancellationToken.None));
        Assert.Equal(ProviderError.Invalid, pathLike.Kind);
        Assert.Contains("must start with a letter", digitFirst.Message);
        Assert.Contains("white space", spaced.Message);
        Assert.Contains("must fit in 63", tooLong.Message);
        Assert.Equal($"required secret 'absent' was not found in namespace {ns}", missingSecret.Message);
        Assert.Empty((await Admin.AppsV1.ListNamespacedDeploymentAsync(ns)).Items);
        Assert.Empty((await Admin.CoreV1.ListNamespacedServiceAsync(ns)).Items);
    }

    [KubeFact]
    public async Task The_image_pull_policy_setting_reaches_the_pods_and_a_wrong_one_stops_the_start()
    {
        var ns = await Cluster.CreateNamespaceAsync("pull");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster, change: o => o.ImagePullPolicy = "IfNotPresent"));

        await provider.DeployAsync(Function("local-image", ns), CancellationToken.None);
        var wrong = await Assert.ThrowsAsync<ProviderStartException>(() => KubernetesProvider.StartAsync(Options(Cluster, change: o => o.ImagePullPolicy = "Sometimes")));

        Assert.Equal("IfNotPresent", (await Admin.AppsV1.ReadNamespacedDeploymentAsync("local-image", ns)).Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Contains("ImagePullPolicy 'Sometimes'", wrong.Message);
    }

    [KubeFact]
    public async Task Secrets_are_managed_mounted_and_registry_credentials_become_image_pull_secrets()
    {
        var ns = await Cluster.CreateNamespaceAsync("secrets");
        await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "regcred" },
            Type = "kubernetes.io/dockerconfigjson",
            StringData = new Dictionary<string, string> { [".dockerconfigjson"] = """{"auths":{"registry.example":{"auth":"dTpw"}}}""" },
        }, ns);
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));

        await provider.CreateSecretAsync(new Secret { Name = "api-key", Namespace = ns, Value = "one" }, CancellationToken.None);
        await provider.UpdateSecretAsync(new Secret { Name = "api-key", Namespace = ns, Value = "two" }, CancellationToken.None);
        var listed = await provider.ListSecretsAsync(ns, CancellationToken.None);
        await provider.DeployAsync(Function("reader", ns) with { Secrets = ["api-key", "regcred"] }, CancellationToken.None);
        var status = await provider.GetAsync("reader", ns, CancellationToken.None);
        await provider.DeleteSecretAsync("api-key", ns, CancellationToken.None);
        var twice = await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteSecretAsync("api-key", ns, CancellationToken.None));

        var pod = (await Admin.AppsV1.ReadNamespacedDeploymentAsync("reader", ns)).Spec.Template.Spec;
        Assert.Equal(["api-key"], listed.Select(s => s.Name));
        Assert.Equal("api-key", Assert.Single(Assert.Single(pod.Volumes).Projected.Sources).Secret.Name);
        Assert.Equal("/var/openfaas/secrets", Assert.Single(pod.Containers[0].VolumeMounts).MountPath);
        Assert.Equal("regcred", Assert.Single(pod.ImagePullSecrets).Name);
        Assert.Equal(["api-key", "regcred"], status.Secrets);
        Assert.Equal(ProviderError.NotFound, twice.Kind);
    }

    [KubeFact]
    public async Task A_deleted_function_is_gone_at_once_and_a_redeploy_while_it_is_deleted_waits_or_conflicts()
    {
        var ns = await Cluster.CreateNamespaceAsync("delete");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("doomed", ns), CancellationToken.None);

        await provider.DeleteAsync("doomed", ns, CancellationToken.None);
        var listed = await provider.ListAsync(ns, CancellationToken.None);
        var get = await Assert.ThrowsAsync<ProviderException>(() => provider.GetAsync("doomed", ns, CancellationToken.None));
        var redeploy = await Record.ExceptionAsync(() => provider.DeployAsync(Function("doomed", ns), CancellationToken.None));

        Assert.Empty(listed);
        Assert.Equal(ProviderError.NotFound, get.Kind);
        if (redeploy is not null)
        {
            var conflict = Assert.IsType<ProviderException>(redeploy);
            Assert.Equal(ProviderError.Conflict, conflict.Kind);
            Assert.Contains("still being deleted", conflict.Message);
        }

        var again = await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteAsync("ghost", ns, CancellationToken.None));
        Assert.Equal(ProviderError.NotFound, again.Kind);
    }

    [KubeFact]
    public async Task Ready_endpoints_follow_endpoint_slices_one_address_family_at_a_time()
    {
        var ns = await Cluster.CreateNamespaceAsync("endpoints");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("web", ns), CancellationToken.None);
        var key = new FunctionKey("web", ns);

        // Documentation addresses (RFC 5737, RFC 3849): stored by the server, never sent traffic.
        await Admin.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("web-v4", "web", "IPv4", ("web-1", "192.0.2.10", true), ("web-2", "192.0.2.11", false)), ns);
        await Admin.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice("web-v6", "web", "IPv6", ("web-1", "2001:db8::10", true)), ns);
        Assert.True(await EventuallyAsync(() => provider.GetReadyEndpoints(key).Count == 1));
        var dualStack = provider.GetReadyEndpoints(key);
        await Admin.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-v4", ns);
        Assert.True(await EventuallyAsync(() => provider.GetReadyEndpoints(key) is [{ Host: "2001:db8::10" }]));

        Assert.Equal(new ReplicaEndpoint("web-1", "192.0.2.10", 8080), Assert.Single(dualStack));
    }

    private static V1Deployment FunctionObjects(FunctionDeployment function) =>
        Faas.Provider.Kubernetes.Objects.FunctionObjects.Deployment(function, new Faas.Provider.Kubernetes.Objects.PodSettings(), 1, null);

    private static V1EndpointSlice Slice(string name, string service, string family, params (string Pod, string Address, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
        AddressType = family,
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Address], Conditions = new V1EndpointConditions { Ready = e.Ready }, TargetRef = new V1ObjectReference { Kind = "Pod", Name = e.Pod } })],
    };

    /// <summary>Every line the provider returns for <paramref name="request"/>.</summary>
    internal static async Task<List<LogMessage>> ReadLogsAsync(KubernetesProvider provider, LogRequest request, CancellationToken cancellationToken = default)
    {
        var lines = new List<LogMessage>();
        await foreach (var line in provider.GetLogsAsync(request, cancellationToken))
        {
            lines.Add(line);
        }

        return lines;
    }

    internal static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 10)
    {
        for (var i = 0; i < seconds * 20 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        return condition();
    }
}
