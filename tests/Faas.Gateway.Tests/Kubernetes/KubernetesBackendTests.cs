using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Testing;
using Faas.Testing.Kubernetes;

namespace Faas.Gateway.Tests.Kubernetes;

/// <summary>
/// The gateway on the Kubernetes backend, against the API server double (no real API server runs here). The "pod" is a
/// real watchdog on a loopback port that the test publishes in the function's EndpointSlice, as the endpoints
/// controller would: invocations reach it straight from the slice.
/// </summary>
public sealed class KubernetesBackendTests
{
    [Fact]
    public async Task Functions_deploy_as_deployments_and_invocations_reach_the_pods_an_endpoint_slice_lists()
    {
        await using var cluster = await KubeApiServerDouble.StartAsync();
        cluster.AddNamespace("openfaas-fn", new() { ["openfaas"] = "1" });
        using var config = new TempDirectory("faas-kubeconfig-");
        await File.WriteAllTextAsync(config.Combine("config"), $$"""
            current-context: test
            clusters: [{ name: double, cluster: { server: "{{cluster.Url}}" } }]
            users: [{ name: gateway, user: { token: {{KubeApiServerDouble.Token}} } }]
            contexts: [{ name: test, context: { cluster: double, user: gateway } }]
            """);
        await using var gateway = await GatewayFixture.StartAsync(options => options.Provider = "kubernetes",
            settings: new Dictionary<string, string> { ["Gateway:Kubernetes:Kubeconfig"] = config.Combine("config") });
        await using var pod = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "rev" });

        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json("""{"service":"echo","image":"example/echo:1","envProcess":"rev"}"""));
        cluster.SetReady("openfaas-fn", "echo", ("echo-7d9f-abcde", "127.0.0.1", pod.Port));
        await gateway.WaitForAvailableAsync("echo");
        using var invoked = await gateway.Admin.PostAsync(gateway.Url + "/function/echo", new StringContent("setenrebuk"));
        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/echo", GatewayFixture.Json("""{"serviceName":"echo","replicas":3}"""));
        var info = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/info");
        var namespaces = await gateway.Admin.GetFromJsonAsync<string[]>(gateway.Url + "/system/namespaces");

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        Assert.Equal("kubernetes", info.GetProperty("provider").GetProperty("orchestration").GetString());
        Assert.Equal("kubernetes", (await invoked.Content.ReadAsStringAsync()).Trim());
        Assert.True(scaled.IsSuccessStatusCode);
        Assert.Equal(3, (int)cluster.Store.Get("deployments", "openfaas-fn", "echo")!["spec"]!["replicas"]!);
        Assert.Equal(["openfaas-fn"], namespaces!);
    }
}
