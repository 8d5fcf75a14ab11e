using Faas.Testing.Kubernetes;
using Faas.Provider.Wire;

namespace Faas.Provider.Kubernetes.Tests;

/// <summary>The backend against the API server double (see <see cref="KubeApiServerDouble"/>).</summary>
public sealed class KubernetesProviderTests
{
    private static async Task<(KubeApiServerDouble Server, KubernetesProvider Provider)> StartAsync()
    {
        var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("openfaas-fn", new() { ["openfaas"] = "1" });
        server.AddNamespace("team-a", new() { ["openfaas"] = "1" });
        server.AddNamespace("kube-system");
        var provider = await KubernetesProvider.StartAsync(new KubernetesProviderOptions(), server.Connection);
        return (server, provider);
    }

    private static FunctionDeployment Function(string name) => new() { Service = name, Image = "example/" + name + ":1", EnvProcess = "cat" };

    [Fact]
    public async Task A_deploy_creates_a_deployment_at_scale_min_and_a_service()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;

        await provider.DeployAsync(Function("hello") with { Labels = new() { ["com.openfaas.scale.min"] = "3" } }, CancellationToken.None);

        var deployment = server.Store.Get("deployments", "openfaas-fn", "hello")!;
        var service = server.Store.Get("services", "openfaas-fn", "hello")!;
        var status = await provider.GetAsync("hello", "", CancellationToken.None);
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal("hello", (string)deployment["spec"]!["selector"]!["matchLabels"]!["faas_function"]!);
        Assert.Equal("ClusterIP", (string)service["spec"]!["type"]!);
        Assert.Equal(("hello", "example/hello:1", "cat", 3UL, 0UL), (status.Name, status.Image, status.EnvProcess, status.Replicas, status.AvailableReplicas));
        var again = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("hello"), CancellationToken.None));
        Assert.Equal(ProviderError.Conflict, again.Kind);
    }

    [Fact]
    public async Task An_update_keeps_the_replicas_the_autoscaler_set()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;
        await provider.DeployAsync(Function("busy"), CancellationToken.None);
        await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = "busy", Replicas = 4 }, CancellationToken.None);

        await provider.UpdateAsync(Function("busy") with { Image = "example/busy:2", Labels = new() { ["com.openfaas.scale.min"] = "1" } }, CancellationToken.None);

        var status = await provider.GetAsync("busy", "", CancellationToken.None);
        Assert.Equal(("example/busy:2", 4UL), (status.Image, status.Replicas));
        var missing = await Assert.ThrowsAsync<ProviderException>(() => provider.UpdateAsync(Function("ghost"), CancellationToken.None));
        Assert.Equal(ProviderError.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Only_labelled_namespaces_hold_functions()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;

        var namespaces = await provider.ListNamespacesAsync(CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("sneaky") with { Namespace = "kube-system" }, CancellationToken.None));
        await provider.DeployAsync(Function("elsewhere") with { Namespace = "team-a" }, CancellationToken.None);

        Assert.Equal(["openfaas-fn", "team-a"], namespaces);
        Assert.Equal(ProviderError.Invalid, refused.Kind);
        Assert.Equal("namespace kube-system is not a function namespace: it needs the label openfaas=1", refused.Message);
        Assert.Null(server.Store.Get("deployments", "kube-system", "sneaky"));
        Assert.Equal(["elsewhere"], (await provider.ListAsync("team-a", CancellationToken.None)).Select(f => f.Name));
        Assert.Empty(await provider.ListAsync("openfaas-fn", CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_secret_is_invalid_and_creates_nothing()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;

        var error = await Assert.ThrowsAsync<ProviderException>(() => provider.DeployAsync(Function("needy") with { Secrets = ["absent"] }, CancellationToken.None));

        Assert.Equal("required secret 'absent' was not found in namespace openfaas-fn", error.Message);
        Assert.Null(server.Store.Get("deployments", "openfaas-fn", "needy"));
        Assert.Null(server.Store.Get("services", "openfaas-fn", "needy"));
    }

    [Fact]
    public async Task Secrets_are_labelled_as_managed_listed_by_name_updated_and_deleted()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;

        await provider.CreateSecretAsync(new Secret { Name = "api-key", Value = "one" }, CancellationToken.None);
        await provider.UpdateSecretAsync(new Secret { Name = "api-key", Value = "two" }, CancellationToken.None);
        var stored = server.Store.Get("secrets", "openfaas-fn", "api-key")!;
        var listed = await provider.ListSecretsAsync("", CancellationToken.None);
        await provider.DeployAsync(Function("reader") with { Secrets = ["api-key"] }, CancellationToken.None);
        await provider.DeleteSecretAsync("api-key", "", CancellationToken.None);
        var twice = await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteSecretAsync("api-key", "", CancellationToken.None));

        Assert.Equal("openfaas", (string)stored["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!);
        Assert.Equal(Convert.ToBase64String("two"u8.ToArray()), (string)stored["data"]!["api-key"]!);
        Assert.Equal(["api-key"], listed.Select(s => s.Name));
        Assert.Equal("api-key", (string)server.Store.Get("deployments", "openfaas-fn", "reader")!["spec"]!["template"]!["spec"]!["volumes"]![0]!["projected"]!["sources"]![0]!["secret"]!["name"]!);
        Assert.Equal(ProviderError.NotFound, twice.Kind);
    }

    [Fact]
    public async Task A_delete_removes_the_deployment_and_the_service()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;
        await provider.DeployAsync(Function("doomed"), CancellationToken.None);

        await provider.DeleteAsync("doomed", "", CancellationToken.None);
        var again = await Assert.ThrowsAsync<ProviderException>(() => provider.DeleteAsync("doomed", "", CancellationToken.None));

        Assert.Null(server.Store.Get("deployments", "openfaas-fn", "doomed"));
        Assert.Null(server.Store.Get("services", "openfaas-fn", "doomed"));
        Assert.Equal(ProviderError.NotFound, again.Kind);
    }

    [Fact]
    public async Task Ready_endpoints_follow_endpoint_slices_and_a_410_relists()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;
        await provider.DeployAsync(Function("web"), CancellationToken.None);
        var key = new FunctionKey("web", "openfaas-fn");

        server.SetReady("openfaas-fn", "web", ("web-1", "127.0.0.1", 18080), ("web-2", "127.0.0.2", 18080));
        Assert.True(await EventuallyAsync(() => provider.GetReadyEndpoints(key).Count == 2));
        var status = await provider.GetAsync("web", "", CancellationToken.None);

        // History compacted and every watch ended: the watcher's next watch is 410 Gone, so it lists again.
        server.Store.Compact();
        server.Store.EndWatches();
        server.SetReady("openfaas-fn", "web", ("web-3", "127.0.0.3", 18081));
        Assert.True(await EventuallyAsync(() => provider.GetReadyEndpoints(key) is [{ Instance: "web-3" }]));

        Assert.Equal(1UL, (await provider.GetAsync("web", "", CancellationToken.None)).AvailableReplicas);
        Assert.Equal(2UL, status.AvailableReplicas);
        Assert.Equal(new ReplicaEndpoint("web-3", "127.0.0.3", 18081), provider.GetReadyEndpoints(key)[0]);
    }

    [Fact]
    public async Task Where_endpoint_slices_are_forbidden_the_service_dns_name_is_the_endpoint()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("openfaas-fn", new() { ["openfaas"] = "1" });
        server.Forbidden.Add("endpointslices");
        await using var provider = await KubernetesProvider.StartAsync(new KubernetesProviderOptions(), server.Connection);
        await provider.DeployAsync(Function("plain"), CancellationToken.None);
        var key = new FunctionKey("plain", "openfaas-fn");

        Assert.True(await EventuallyAsync(() => provider.GetReadyEndpoints(key).Count == 1));
        Assert.Equal(new ReplicaEndpoint("plain", "plain.openfaas-fn.svc.cluster.local", 8080), provider.GetReadyEndpoints(key)[0]);
    }

    [Fact]
    public async Task Logs_of_every_pod_are_merged_in_time_order()
    {
        var (server, provider) = await StartAsync();
        await using var _ = server;
        await using var __ = provider;
        await provider.DeployAsync(Function("chatty"), CancellationToken.None);
        server.SetReady("openfaas-fn", "chatty", ("chatty-a", "127.0.0.1", 18080), ("chatty-b", "127.0.0.1", 18081));
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        server.AppendLog("openfaas-fn", "chatty-a", start, "first");
        server.AppendLog("openfaas-fn", "chatty-b", start.AddSeconds(1), "second");
        server.AppendLog("openfaas-fn", "chatty-a", start.AddSeconds(2), "third");

        var lines = new List<LogMessage>();
        await foreach (var line in provider.GetLogsAsync(new LogRequest("chatty", "") { Tail = 2 }, CancellationToken.None))
        {
            lines.Add(line);
        }

        Assert.Equal(["second", "third"], lines.Select(l => l.Text));
        Assert.Equal(["chatty-b", "chatty-a"], lines.Select(l => l.Instance));
        Assert.Equal(start.AddSeconds(2).ToUnixTimeMilliseconds(), lines[1].Timestamp.ToUnixTimeMilliseconds());
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        return condition();
    }
}
