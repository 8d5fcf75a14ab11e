using System.Diagnostics;

namespace Faas.Gateway.Tests;

public class IdleMemoryReturnTests
{
    [Fact]
    public async Task A_burst_of_invocations_leaves_no_heap_behind_once_the_gateway_is_quiet()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__IdleMemoryCheck"] = "00:00:01",
            ["Logging__LogLevel__Faas.Proxy.IdleMemoryReturn"] = "Debug",
        });
        await gateway.DeployAsync("""{"service":"echo","image":"local","envProcess":"cat"}""");
        var body = new string('x', 8192);
        await Parallel.ForEachAsync(Enumerable.Range(0, 4000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancel) =>
        {
            using var answer = await TestHttp.Client.PostAsync(gateway.Url + "/function/echo", new StringContent(body), cancel);
            answer.EnsureSuccessStatusCode();
        });
        var afterBurst = ProcessMemory.RssMegabytes(gateway.Pid);
        var returnsBefore = Returns(gateway.Output);

        var clock = Stopwatch.StartNew();
        while (Returns(gateway.Output) == returnsBefore && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(200);
        }

        Assert.Equal(returnsBefore + 1, Returns(gateway.Output));
        Assert.True(ProcessMemory.RssMegabytes(gateway.Pid) < afterBurst, $"resident {ProcessMemory.RssMegabytes(gateway.Pid):0.0} MB, {afterBurst:0.0} MB right after the burst");
    }

    private static int Returns(string output) => output.Split("heap compacted and returned").Length - 1;
}
