using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Harness.Kubernetes;
using Faas.Testing.Kubernetes;
using k8s;
using k8s.Models;

namespace Faas.Gateway.Tests.Kubernetes;

[CollectionDefinition(Name)]
public sealed class KubeCollection : ICollectionFixture<KubeControlPlaneFixture>
{
    public const string Name = "kubernetes";
}

/// <summary>
/// The gateway on the Kubernetes backend against a real kube-apiserver and controller-manager. There is no kubelet, so
/// the "pod" is a real watchdog on a loopback port that the test lists in an EndpointSlice, as the endpoint controller
/// would for a ready pod (an FQDN slice: the server refuses 127.0.0.1 in an IPv4 one). The gateway authenticates as the
/// user <c>faas-gateway</c>, whose requests the API server's audit log records. Where a pod must be seen failing, a
/// <see cref="KubeletDouble"/> is its node.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesBackendTests(KubeControlPlaneFixture fixture)
{
    private KubeControlPlane Cluster => fixture.Plane;

    [KubeFact]
    public async Task Invocations_reach_the_pods_an_endpoint_slice_lists_without_an_api_request_each()
    {
        await Cluster.GrantGatewayAdminAsync();
        var ns = await Cluster.CreateNamespaceAsync("gw");
        await using var gateway = await GatewayFixture.StartAsync(options => options.Provider = "kubernetes", settings: new Dictionary<string, string>
        {
            ["Gateway:Kubernetes:Kubeconfig"] = Cluster.KubeconfigFor(KubeControlPlane.GatewayToken),
            ["Gateway:Kubernetes:DefaultNamespace"] = ns,
        });
        await using var pod = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "rev" });

        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json("""{"service":"echo","image":"example/echo:1","envProcess":"rev"}"""));
        await Cluster.ListPodAsync(ns, "echo", pod.Port);
        using var first = await InvokeWhenRoutedAsync(gateway, $"echo.{ns}");
        var requestsBefore = GatewayRequests();
        for (var i = 0; i < 20; i++)
        {
            using var invoked = await gateway.Admin.PostAsync(gateway.Url + $"/function/echo.{ns}", new StringContent("setenrebuk"));
            Assert.Equal("kubernetes", (await invoked.Content.ReadAsStringAsync()).Trim());
        }

        var duringInvocations = GatewayRequests().Except(requestsBefore)
            .Where(line => !line.Contains("\"verb\":\"watch\"", StringComparison.Ordinal) && !line.Contains("\"resource\":\"leases\"", StringComparison.Ordinal)).ToList();
        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/echo", GatewayFixture.Json("""{"serviceName":"echo","replicas":3}"""));
        var info = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/info");
        var namespaces = await gateway.Admin.GetFromJsonAsync<string[]>(gateway.Url + "/system/namespaces");

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains(requestsBefore, line => line.Contains("\"verb\":\"create\"", StringComparison.Ordinal) && line.Contains("deployments", StringComparison.Ordinal));
        Assert.Empty(duringInvocations);
        Assert.Equal("kubernetes", info.GetProperty("provider").GetProperty("orchestration").GetString());
        Assert.True(scaled.IsSuccessStatusCode);
        Assert.Equal(3, (await Cluster.Admin.AppsV1.ReadNamespacedDeploymentAsync("echo", ns)).Spec.Replicas);
        Assert.Contains(ns, namespaces!);
    }

    [KubeFact]
    public async Task The_gateway_process_outlives_the_api_server_going_away_and_deploys_again_when_it_is_back()
    {
        await Cluster.GrantGatewayAdminAsync();
        var ns = await Cluster.CreateNamespaceAsync("gwfault");
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__Provider"] = "kubernetes",
            ["Gateway__Kubernetes__Kubeconfig"] = Cluster.KubeconfigFor(KubeControlPlane.GatewayToken),
            ["Gateway__Kubernetes__DefaultNamespace"] = ns,
        });
        await gateway.DeployAsync("""{"service":"before","image":"example/before:1"}""");
        using var admin = GatewayProcess.AdminClient();

        await Cluster.StopApiServerAsync();
        HttpStatusCode during;
        string health;
        try
        {
            using var refused = await admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json("""{"service":"during","image":"example/during:1"}"""));
            during = refused.StatusCode;
            await Task.Delay(TimeSpan.FromSeconds(3));
            health = await admin.GetStringAsync(gateway.Url + "/healthz");
        }
        finally
        {
            await Cluster.StartApiServerAsync();
        }

        using var listed = await admin.GetAsync(gateway.Url + "/system/functions");
        await gateway.DeployAsync("""{"service":"after","image":"example/after:1"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during);
        Assert.Contains("backend: degraded", health);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.NotNull(await Cluster.Admin.AppsV1.ReadNamespacedDeploymentAsync("after", ns));
    }

    [KubeFact]
    public async Task An_invocation_of_a_function_whose_pods_crash_loop_is_answered_503_at_once_naming_the_exit()
    {
        await Cluster.GrantGatewayAdminAsync();
        var ns = await Cluster.CreateNamespaceAsync("gwcrash");
        await using var kubelet = await KubeletDouble.StartAsync(Cluster);
        await using var gateway = await GatewayFixture.StartAsync(options => options.Provider = "kubernetes", settings: new Dictionary<string, string>
        {
            ["Gateway:Kubernetes:Kubeconfig"] = Cluster.KubeconfigFor(KubeControlPlane.GatewayToken),
            ["Gateway:Kubernetes:DefaultNamespace"] = ns,
        });
        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json("""{"service":"fragile","image":"example/fragile:1"}"""));
        var pod = Assert.Single(await kubelet.PendingPodsOfAsync(ns, "fragile", 1));
        await kubelet.CrashLoopAsync(ns, pod, exitCode: 1, restarts: 5, message: "panic: no config");

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var invoked = await gateway.Admin.PostAsync(gateway.Url + $"/function/fragile.{ns}", new StringContent("x"));
        var answeredIn = started.Elapsed;
        var function = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + $"/system/function/fragile?namespace={ns}");

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, invoked.StatusCode);
        Assert.Contains("they keep failing (exit code 1 (Error) at ", await invoked.Content.ReadAsStringAsync());
        Assert.True(answeredIn < TimeSpan.FromSeconds(5), $"answered after {answeredIn}, as if it waited for a replica");
        Assert.True(function.GetProperty("crashLooping").GetBoolean());
        Assert.Equal(5, function.GetProperty("restarts").GetInt32());
    }

    private HashSet<string> GatewayRequests() => File.Exists(Cluster.AuditLogPath) ? [.. File.ReadAllLines(Cluster.AuditLogPath)] : [];

    private static async Task<HttpResponseMessage> InvokeWhenRoutedAsync(GatewayFixture gateway, string function)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await gateway.Admin.PostAsync(gateway.Url + "/function/" + function, new StringContent("x"));
            if (response.StatusCode == HttpStatusCode.OK || attempt == 100)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }
}
