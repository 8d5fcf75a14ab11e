using Faas.Provider.Wire;
using Faas.Harness.Kubernetes;
using Faas.Testing.Kubernetes;
using k8s;
using k8s.Models;
using static Faas.Provider.Kubernetes.Tests.KubernetesProviderTests;

namespace Faas.Provider.Kubernetes.Tests;

/// <summary>
/// The backend where a cluster is not kind: the project's own RBAC manifests as the only permissions, an API server
/// that goes away, credentials from an exec plugin, several gateways electing one leader. All against the real server.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class ClusterFaultTests(KubeControlPlaneFixture fixture)
{
    private KubeControlPlane Cluster => fixture.Plane;

    [KubeFact]
    public async Task With_the_install_manifests_rbac_a_bound_namespace_works_and_an_unbound_one_is_refused_by_name()
    {
        await Manifests.CreateAsync(Cluster.Admin, [.. Manifests.Load("00-namespaces.yaml"), .. Manifests.Load("10-rbac.yaml")]);
        var second = await Cluster.CreateNamespaceAsync("team-b");
        var unbound = await Cluster.CreateNamespaceAsync("team-c");

        // README's advice for another function namespace: one RoleBinding of the faas-functions ClusterRole.
        await Cluster.Admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "faas-gateway" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "faas-functions" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "faas-gateway", NamespaceProperty = "openfaas" }],
        }, second);
        var token = await Cluster.Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [] } }, "faas-gateway", "openfaas");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster, token.Status.Token, o => (o.LeaderElection, o.LeaseNamespace, o.LeaseDuration, o.LeaseRetryPeriod) = (true, "openfaas", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1))));

        await provider.DeployAsync(Function("first", "openfaas-fn"), CancellationToken.None);
        await provider.DeployAsync(Function("second", second), CancellationToken.None);
        await provider.CreateSecretAsync(new Secret { Name = "key", Namespace = second, Value = "v" }, CancellationToken.None);
        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = "second", Namespace = second, Replicas = 2 }, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("third", unbound), CancellationToken.None));

        Assert.Equal(ProviderError.Refused, refused.Kind);
        Assert.Contains($"create deployment third in namespace {unbound}", refused.Message);
        Assert.Equal(2UL, (await provider.GetAsync("second", second, CancellationToken.None)).Replicas);
        Assert.True(await EventuallyAsync(() => provider.IsLeader), "the gateway's service account could not take the Lease");
    }

    [KubeFact]
    public async Task While_the_api_server_is_away_calls_are_unavailable_and_afterwards_everything_works_again()
    {
        var ns = await Cluster.CreateNamespaceAsync("outage");
        await using var provider = await KubernetesProvider.StartAsync(Options(Cluster));
        await provider.DeployAsync(Function("before", ns), CancellationToken.None);

        await Cluster.StopApiServerAsync();
        ProviderException down;
        try
        {
            down = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("during", ns), CancellationToken.None));
            Assert.True(await EventuallyAsync(() => provider.Problem is not null), "the provider did not notice the API server had gone");
        }
        finally
        {
            await Cluster.StartApiServerAsync();
        }

        var cached = await provider.GetAsync("before", ns, CancellationToken.None);
        Assert.True(await EventuallyAsync(() => provider.Problem is null, seconds: 40), $"the watches did not recover: {provider.Problem}");
        await provider.DeployAsync(Function("after", ns), CancellationToken.None);

        Assert.Equal(ProviderError.Unavailable, down.Kind);
        Assert.Contains("unreachable", down.Message);
        Assert.Equal("before", cached.Name);
        Assert.Equal(["after", "before"], (await provider.ListAsync(ns, CancellationToken.None)).Select(f => f.Name));
    }

    [KubeFact]
    public async Task A_kubeconfig_with_an_exec_credential_plugin_authenticates()
    {
        // A credential plugin as EKS (aws eks get-token) and GKE (gke-gcloud-auth-plugin) install one: a program printing an ExecCredential.
        using var directory = new Faas.Harness.TempDirectory("faas-exec-plugin-");
        var plugin = directory.Combine("get-token");
        await File.WriteAllTextAsync(plugin, $$$"""
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{KubeControlPlane.AdminToken}}}"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var kubeconfig = Cluster.Kubeconfig($$"""{ exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: "{{plugin}}", interactiveMode: Never } }""");
        var ns = await Cluster.CreateNamespaceAsync("exec");

        await using var provider = await KubernetesProvider.StartAsync(new KubernetesProviderOptions { Kubeconfig = kubeconfig, LeaderElection = false });

        Assert.Contains(ns, await provider.ListNamespacesAsync(CancellationToken.None));
    }

    [KubeFact]
    public async Task Of_two_gateways_exactly_one_leads_and_the_other_takes_over_when_it_stops()
    {
        var leaseNamespace = await Cluster.CreateNamespaceAsync("lease", functionNamespace: false);
        var options = Options(Cluster, change: o => (o.LeaderElection, o.LeaseNamespace, o.LeaseDuration, o.LeaseRetryPeriod) = (true, leaseNamespace, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)));
        await using var first = await KubernetesProvider.StartAsync(options);
        await using var second = await KubernetesProvider.StartAsync(options);

        Assert.True(await EventuallyAsync(() => first.IsLeader || second.IsLeader), "nobody took the Lease");
        var (leader, follower) = first.IsLeader ? (first, second) : (second, first);
        var bothLed = await EventuallyAsync(() => first.IsLeader && second.IsLeader, seconds: 3);
        await leader.DisposeAsync();

        Assert.False(bothLed, "two gateways led at once");
        Assert.True(await EventuallyAsync(() => follower.IsLeader, seconds: 15), "the follower did not take over");
    }
}
