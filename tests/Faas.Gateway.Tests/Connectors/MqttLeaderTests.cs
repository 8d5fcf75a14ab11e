using Faas.Gateway.Tests.Kubernetes;
using Faas.Harness.Brokers;
using Faas.Harness.Kubernetes;
using Faas.Testing.Brokers;
using Faas.Testing.Kubernetes;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>
/// Two gateway processes as two replicas of the Kubernetes install, on a real API server (electing one through a Lease)
/// and a real Mosquitto, with the same MQTT settings, as replicas share them. The function's "pod" is a real watchdog
/// listed in an EndpointSlice (see <see cref="KubernetesBackendTests"/>).
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class MqttLeaderTests(KubeControlPlaneFixture fixture, MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private KubeControlPlane Cluster => fixture.Plane;

    [KubeFact]
    public async Task Of_two_gateway_replicas_only_the_elected_one_holds_the_session_and_the_other_takes_it_over_when_it_dies()
    {
        await Cluster.GrantGatewayAdminAsync();
        var ns = await Cluster.CreateNamespaceAsync("mqtt");
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var pod = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });
        var settings = new Dictionary<string, string>
        {
            ["FAAS_NATS_URL"] = "",
            ["Gateway__Provider"] = "kubernetes",
            ["Gateway__Kubernetes__Kubeconfig"] = Cluster.KubeconfigFor(KubeControlPlane.GatewayToken),
            ["Gateway__Kubernetes__DefaultNamespace"] = ns,
            ["Gateway__Kubernetes__LeaseNamespace"] = ns,
            ["Gateway__Kubernetes__LeaseDuration"] = "00:00:03",
            ["Gateway__Kubernetes__LeaseRetryPeriod"] = "00:00:01",
            ["Gateway__Connectors__Mqtt__Url"] = mosquitto.Broker.Url,
            ["Gateway__Connectors__Mqtt__ClientId"] = "faas-gateway-" + id,
        };
        await using var first = await GatewayProcess.StartAsync(settings);
        await using var second = await GatewayProcess.StartAsync(settings);
        await first.DeployAsync($$$"""{"service":"worker","image":"example/worker:1","annotations":{"topic":"mqtt:work/{{{id}}}/#","reply-topic":"mqtt:done/{{{id}}}"}}""");
        await Cluster.ListPodAsync(ns, "worker", pod.Port);
        using var client = await mosquitto.Broker.ConnectAsync("test-" + id);
        var replies = await MqttListener.SubscribeAsync(client, $"done/{id}");

        var subscribed = await ProcessTable.EventuallyAsync(() => Subscribed(first) || Subscribed(second), TimeSpan.FromSeconds(30));
        var (leader, follower) = Subscribed(first) ? (first, second) : (second, first);
        await MqttListener.PublishAsync(client, $"work/{id}/before", "before");
        var answered = await replies.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        var jobs = Enumerable.Range(0, 20).Select(i => $"job-{i}").ToList();
        foreach (var job in jobs)
        {
            await MqttListener.PublishAsync(client, $"work/{id}/{job}", job);
        }

        var all = await replies.WaitForCountAsync(1 + jobs.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(1000); // time for a second answer to any of them
        var answersBefore = replies.Bodies();
        var followerBefore = follower.Output;
        var leaderLog = leader.Output;

        await leader.KillAsync();
        await MqttListener.PublishAsync(client, $"work/{id}/after", "after");
        var takenOver = await replies.WaitForCountAsync(2 + jobs.Count, TimeSpan.FromSeconds(40));

        Assert.True(subscribed, $"neither replica subscribed:\n{first.Output}\n{second.Output}");
        Assert.True(answered && all, $"answered {replies.Bodies().Count} of {1 + jobs.Count}\nleader:\n{leaderLog}\nfollower:\n{followerBefore}");
        Assert.Equal(jobs.Append("before").Order(), answersBefore.Order()); // each once
        Assert.Contains("Connector mqtt stands by", followerBefore);
        Assert.DoesNotContain("subscribed to", followerBefore);
        // With one client id on both, each connection takes the session from the other, back and forth.
        Assert.DoesNotContain("Connector mqtt lost", leaderLog + followerBefore);
        Assert.True(takenOver, $"the other replica did not take the session over:\n{follower.Output}");
        Assert.Contains("after", replies.Bodies());
        Assert.Contains("Connector mqtt takes over the session", follower.Output);
    }

    private static bool Subscribed(GatewayProcess gateway) => gateway.Output.Contains("subscribed to work/", StringComparison.Ordinal);
}
