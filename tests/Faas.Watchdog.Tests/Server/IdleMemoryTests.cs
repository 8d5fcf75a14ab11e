using System.Diagnostics;
using Faas.Watchdog.Tests.Modes;

namespace Faas.Watchdog.Tests.Server;

public class IdleMemoryTests
{
    [Fact]
    public async Task A_burst_of_requests_leaves_no_heap_behind_once_the_watchdog_is_quiet()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("idle_memory_check", "1s"));
        var body = new string('x', 8192);
        await Parallel.ForEachAsync(Enumerable.Range(0, 4000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancel) =>
        {
            using var answer = await TestHttp.Client.PostAsync(watchdog.Url + "/echo", new StringContent(body), cancel);
            answer.EnsureSuccessStatusCode();
        });
        var afterBurst = ProcessMemory.RssMegabytes(watchdog.Process.Pid);
        var returnsBefore = Returns(watchdog.Process.Output);

        var clock = Stopwatch.StartNew();
        while (Returns(watchdog.Process.Output) == returnsBefore && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(200);
        }

        Assert.Equal(returnsBefore + 1, Returns(watchdog.Process.Output));
        Assert.True(ProcessMemory.RssMegabytes(watchdog.Process.Pid) < afterBurst,
            $"resident {ProcessMemory.RssMegabytes(watchdog.Process.Pid):0.0} MB, {afterBurst:0.0} MB right after the burst");
    }

    [Fact]
    public async Task Zero_turns_the_check_off()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("idle_memory_check", "0"));
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancel) =>
        {
            using var answer = await TestHttp.Client.PostAsync(watchdog.Url + "/echo", new StringContent(new string('x', 8192)), cancel);
            answer.EnsureSuccessStatusCode();
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Returns(watchdog.Process.Output));
    }

    private static int Returns(string output) => output.Split("quiet again: heap returned").Length - 1;
}
