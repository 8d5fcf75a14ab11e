namespace Faas.Gateway.Tests;

public class IdleMemoryReturnTests
{
    private const string Marker = "heap compacted and returned";

    [Fact]
    public async Task A_burst_of_invocations_leaves_no_heap_behind_once_the_gateway_is_quiet()
    {
        await using var gateway = await StartWithEchoAsync();
        await HeapReturnProbe.PostBurstAsync(gateway.Url + "/function/echo", HeapReturnProbe.Burst);
        var afterBurst = ProcessMemory.RssMegabytes(gateway.Pid);
        var returnsBefore = HeapReturnProbe.Count(gateway.Output, Marker);

        Assert.Equal(returnsBefore + 1, await HeapReturnProbe.WaitForMoreAsync(() => gateway.Output, Marker, returnsBefore));
        Assert.True(ProcessMemory.RssMegabytes(gateway.Pid) < afterBurst, $"resident {ProcessMemory.RssMegabytes(gateway.Pid):0.0} MB, {afterBurst:0.0} MB right after the burst");
    }

    [Fact]
    public async Task Light_traffic_is_not_quiet_and_its_requests_never_wait_out_the_collection()
    {
        await using var gateway = await StartWithEchoAsync();
        await HeapReturnProbe.PostBurstAsync(gateway.Url + "/function/echo", 1000);

        var duringTrickle = await HeapReturnProbe.ReturnsDuringTrickleAsync(gateway.Url + "/function/echo", TimeSpan.FromSeconds(5), () => gateway.Output, Marker);
        var returnsBefore = HeapReturnProbe.Count(gateway.Output, Marker);

        Assert.Equal(0, duringTrickle);
        Assert.Equal(returnsBefore + 1, await HeapReturnProbe.WaitForMoreAsync(() => gateway.Output, Marker, returnsBefore));
    }

    /// <summary>A gateway checking every second, logging each return, with one function to invoke.</summary>
    private static async Task<GatewayProcess> StartWithEchoAsync()
    {
        var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__IdleMemoryCheck"] = "00:00:01",
            ["Logging__LogLevel__Faas.Proxy.IdleMemoryReturn"] = "Debug",
        });
        try
        {
            await gateway.DeployAsync("""{"service":"echo","image":"local","envProcess":"cat"}""");
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }
}
