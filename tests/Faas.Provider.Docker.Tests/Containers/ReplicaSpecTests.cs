using Faas.Provider.Docker.Containers;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Tests.Containers;

/// <summary>The environment a replica's container gets for its ports, per network mode (no engine needed).</summary>
public sealed class ReplicaSpecTests
{
    [Fact]
    public void On_a_bridge_an_http_function_that_names_no_upstream_gets_the_templates_port_8082()
    {
        var environment = EnvironmentOf(DockerProviderOptions.DefaultNetwork, image: new() { ["mode"] = "http" });

        Assert.Equal(("8080", "0.0.0.0"), (environment["port"], environment["listen_address"]));
        Assert.Equal(("8082", "http://127.0.0.1:8082"), (environment["PORT"], environment["upstream_url"]));
    }

    [Fact]
    public void On_a_bridge_the_images_own_upstream_and_port_are_kept()
    {
        var environment = EnvironmentOf(DockerProviderOptions.DefaultNetwork, image: new() { ["mode"] = "http", ["upstream_url"] = "http://127.0.0.1:8082" });
        var fromPort = EnvironmentOf(DockerProviderOptions.DefaultNetwork, image: new() { ["mode"] = "http", ["PORT"] = "5000" });

        Assert.False(environment.ContainsKey("upstream_url"));
        Assert.False(environment.ContainsKey("PORT"));
        Assert.Equal("http://127.0.0.1:5000", fromPort["upstream_url"]);
        Assert.False(fromPort.ContainsKey("PORT"));
    }

    [Fact]
    public void On_host_networking_watchdog_metrics_and_upstream_each_get_a_loopback_port_of_their_own()
    {
        var environment = EnvironmentOf(DockerProviderOptions.HostNetwork, image: new() { ["mode"] = "http", ["upstream_url"] = "http://127.0.0.1:8082" });

        Assert.Equal(("31000", "127.0.0.1"), (environment["port"], environment["listen_address"]));
        Assert.NotEqual("8081", environment["metrics_port"]);
        Assert.Equal($"http://127.0.0.1:{environment["PORT"]}", environment["upstream_url"]);
    }

    private static Dictionary<string, string> EnvironmentOf(string network, Dictionary<string, string> image)
    {
        var version = new ContainerVersion(new FunctionDeployment { Service = "fn", Namespace = "openfaas-fn", Image = "img" }, DateTimeOffset.UtcNow, "sha256:1", image, null);
        var spec = ReplicaSpec.Create(version, new DockerProviderOptions { Network = network }, "faas.openfaas-fn.fn-1", "1", 31000);
        return ContainerVersion.ParseEnvironment(spec.Env).ToDictionary();
    }
}
