using System.Globalization;
using System.Net;
using System.Text.Json;
using Faas.Harness.Kubernetes;
using Faas.Testing.Kubernetes;
using k8s;
using k8s.Models;

namespace Faas.Gateway.Tests.Kubernetes;

/// <summary>
/// The gateway as a pod runs it: no kubeconfig, the API server named by <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, and
/// the service account's token, CA and namespace mounted at /var/run/secrets/kubernetes.io/serviceaccount (here by
/// bubblewrap, in a mount namespace of the gateway's own, as the kubelet would). Its identity is the install manifests'
/// service account, with only their RBAC. The function's pod runs on a <see cref="KubeletDouble"/>, which serves its log.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class InClusterTests(KubeControlPlaneFixture fixture)
{
    /// <summary>Where the kubelet mounts the service account, /var/run being (on Debian) a link that bubblewrap does not follow.</summary>
    private static readonly string Run = Directory.ResolveLinkTarget("/var/run", returnFinalTarget: true)?.FullName ?? "/var/run";

    private KubeControlPlane Cluster => fixture.Plane;

    [KubeFact(NeedsSandbox = true)]
    public async Task In_a_pod_the_gateway_acts_as_its_service_account_with_only_its_rbac_and_holds_its_lease_in_its_own_namespace()
    {
        await Manifests.CreateAsync(Cluster.Admin, [.. Manifests.Load("00-namespaces.yaml"), .. Manifests.Load("10-rbac.yaml")]);
        var unbound = await Cluster.CreateNamespaceAsync("unbound");
        var token = await Cluster.Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [] } }, "faas-gateway", "openfaas");
        var hostHadMountPoint = Directory.Exists($"{Run}/secrets/kubernetes.io");
        using var pod = new TempDirectory("faas-pod-");
        var account = Directory.CreateDirectory(pod.Combine("serviceaccount")).FullName;
        await File.WriteAllTextAsync(Path.Combine(account, "token"), token.Status.Token);
        await File.WriteAllTextAsync(Path.Combine(account, "ca.crt"), Cluster.CertificateAuthorityPem);
        await File.WriteAllTextAsync(Path.Combine(account, "namespace"), "openfaas");
        var entrypoint = pod.Combine("gateway-in-pod");
        // /var/run becomes an empty tmpfs, so the mount point is made there and not on this host.
        await File.WriteAllTextAsync(entrypoint, $"""
            #!/bin/sh
            exec bwrap --dev-bind / / --tmpfs {Run} --ro-bind {account} {Run}/secrets/kubernetes.io/serviceaccount --die-with-parent -- {RepoPaths.Built("gateway/Faas.Gateway", "gateway")} "$@"
            """);
        File.SetUnixFileMode(entrypoint, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__Provider"] = "kubernetes",
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = Cluster.Port.ToString(CultureInfo.InvariantCulture),
            ["HOME"] = pod.Path, // no ~/.kube/config
            ["KUBECONFIG"] = "",
        }, binary: entrypoint);
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await gateway.DeployAsync("""{"service":"podded","image":"example/podded:1"}""");
        var replica = Assert.Single(await kubelet.RunPodsOfAsync("openfaas-fn", "podded", 1));
        kubelet.Write("openfaas-fn", replica, "podded", DateTimeOffset.UtcNow, "said something");
        using var admin = GatewayProcess.AdminClient();
        var logs = await admin.GetStringAsync(gateway.Url + "/system/logs?name=podded&tail=-1");
        using var refused = await admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json($$"""{"service":"elsewhere","image":"example/elsewhere:1","namespace":"{{unbound}}"}"""));
        var lease = await EventuallyReadAsync(() => Cluster.Admin.CoordinationV1.ReadNamespacedLeaseAsync("faas-gateway", "openfaas"));

        Assert.Equal("example/podded:1", (await Cluster.Admin.AppsV1.ReadNamespacedDeploymentAsync("podded", "openfaas-fn")).Spec.Template.Spec.Containers[0].Image);
        // Only the service account's RBAC: a function namespace the manifests do not bind is refused, by name.
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains($"create deployment elsewhere in namespace {unbound}", await refused.Content.ReadAsStringAsync());
        Assert.NotNull(lease.Spec.HolderIdentity);
        // Its log through the API server's pod-log endpoint, which the manifests grant (pods/log).
        var line = JsonSerializer.Deserialize<JsonElement>(Assert.Single(logs.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(("said something", replica), (line.GetProperty("text").GetString(), line.GetProperty("instance").GetString()));
        Assert.True(hostHadMountPoint || !Directory.Exists($"{Run}/secrets/kubernetes.io"), "the pod's mount point was made on this host");
        await Cluster.Admin.AppsV1.DeleteNamespacedDeploymentAsync("podded", "openfaas-fn");
    }

    private static async Task<T> EventuallyReadAsync<T>(Func<Task<T>> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (k8s.Autorest.HttpOperationException missing) when (missing.Response.StatusCode == HttpStatusCode.NotFound && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
