using Faas.Watchdog.Tests.Modes;

namespace Faas.Watchdog.Tests.Server;

public class IdleMemoryTests
{
    private const string Marker = "quiet again: heap returned";

    [Fact]
    public async Task A_burst_of_requests_leaves_no_heap_behind_once_the_watchdog_is_quiet()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("idle_memory_check", "1s"));
        await HeapReturnProbe.PostBurstAsync(watchdog.Url + "/echo", HeapReturnProbe.Burst);
        var afterBurst = ProcessMemory.RssMegabytes(watchdog.Process.Pid);
        var returnsBefore = HeapReturnProbe.Count(watchdog.Process.Output, Marker);

        Assert.Equal(returnsBefore + 1, await HeapReturnProbe.WaitForMoreAsync(() => watchdog.Process.Output, Marker, returnsBefore));
        Assert.True(ProcessMemory.RssMegabytes(watchdog.Process.Pid) < afterBurst,
            $"resident {ProcessMemory.RssMegabytes(watchdog.Process.Pid):0.0} MB, {afterBurst:0.0} MB right after the burst");
    }

    [Fact]
    public async Task Light_traffic_is_not_quiet_and_its_requests_never_wait_out_the_collection()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("idle_memory_check", "1s"));
        await HeapReturnProbe.PostBurstAsync(watchdog.Url + "/echo", HeapReturnProbe.Burst);

        var duringTrickle = await HeapReturnProbe.ReturnsDuringTrickleAsync(watchdog.Url + "/echo", TimeSpan.FromSeconds(5), () => watchdog.Process.Output, Marker);
        var returnsBefore = HeapReturnProbe.Count(watchdog.Process.Output, Marker);

        Assert.Equal(0, duringTrickle);
        Assert.Equal(returnsBefore + 1, await HeapReturnProbe.WaitForMoreAsync(() => watchdog.Process.Output, Marker, returnsBefore));
    }

    [Fact]
    public async Task Zero_turns_the_check_off()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("idle_memory_check", "0"));
        await HeapReturnProbe.PostBurstAsync(watchdog.Url + "/echo", 2000);

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, HeapReturnProbe.Count(watchdog.Process.Output, Marker));
    }
}
