
namespace Faas.Watchdog.Tests.Logging;

/// <summary>Each invocation shows in the replica's log as OpenFaaS's watchdogs write it, so <c>faas logs</c> shows activity.</summary>
public class InvocationLogTests
{
    [Theory]
    [InlineData("streaming")]
    [InlineData("serializing")]
    public async Task Fork_modes_log_forking_and_the_bytes_written_by_default(string mode)
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["mode"] = mode, ["fprocess"] = "cat" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("hello function"));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(await watchdog.Process.WaitForOutputAsync("Wrote 14 Bytes - Duration: ", TimeSpan.FromSeconds(5)), watchdog.Process.Output);
        Assert.Matches(@"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d Forking fprocess\.", watchdog.Process.Output);
        Assert.Matches(@"Wrote 14 Bytes - Duration: \d+\.\d{6} seconds", watchdog.Process.Output);
    }

    [Fact]
    public async Task Http_mode_logs_a_request_line_by_default()
    {
        await using var watchdog = await Modes.HttpModeTests.StartAsync();

        using var response = await TestHttp.Client.GetAsync(watchdog.Url + "/a?x=1");
        using var streamed = await TestHttp.Client.GetAsync(watchdog.Url + "/sse?count=1&interval=1");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(await watchdog.Process.WaitForOutputAsync("GET /a?x=1 - 200 - ContentLength: 2 (", TimeSpan.FromSeconds(5)), watchdog.Process.Output);
        Assert.Matches(@"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d GET /a\?x=1 - 200 - ContentLength: 2 \(\d+\.\d{4}s\)", watchdog.Process.Output);
        Assert.True(await watchdog.Process.WaitForOutputAsync("GET /sse?count=1&interval=1 - 200 - ContentLength: - (", TimeSpan.FromSeconds(5)), watchdog.Process.Output);
    }

    [Fact]
    public async Task Log_level_warn_leaves_invocations_out()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat", ["log_level"] = "warn" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("quiet"));

        Assert.Equal("quiet", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Forking", watchdog.Process.Output);
        Assert.DoesNotContain("Wrote", watchdog.Process.Output);
    }
}
