
namespace Faas.Gateway.Tests.Invoke;

public class RoutingTableTests
{
    [Fact]
    public async Task Requests_go_to_the_replica_with_fewest_in_flight()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync(
            "pair", "sh -c 'if [ $Http_Path = /hold ]; then sleep 3; fi; echo $FAAS_REPLICA_ID'", ""","labels":{"com.openfaas.scale.min":"2"}""");
        await gateway.WaitForAvailableAsync("pair", replicas: 2);

        var spread = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            spread.Add(await TestHttp.Client.GetStringAsync(gateway.Url + "/function/pair"));
        }

        var held = TestHttp.Client.GetStringAsync(gateway.Url + "/function/pair/hold");
        await Task.Delay(500);
        var whileHeld = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            whileHeld.Add(await TestHttp.Client.GetStringAsync(gateway.Url + "/function/pair"));
        }

        var busy = await held;

        Assert.Equal(2, spread.Count);
        Assert.All(whileHeld, replica => Assert.NotEqual(busy, replica));
    }
}
