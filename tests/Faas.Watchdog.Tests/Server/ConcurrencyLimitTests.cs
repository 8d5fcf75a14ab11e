
namespace Faas.Watchdog.Tests.Server;

public class ConcurrencyLimitTests
{
    [Fact]
    public async Task Requests_beyond_max_inflight_get_429_and_ready_reports_it()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'sleep 2; echo done'",
            ["max_inflight"] = "1",
        });

        var first = TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));
        await Task.Delay(500);
        using var second = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));
        using var ready = await TestHttp.Client.GetAsync(watchdog.Url + "/_/ready");
        using var firstResponse = await first;

        Assert.Equal(429, (int)second.StatusCode);
        Assert.Equal("Concurrent request limit exceeded. Max concurrent requests: 1\n", await second.Content.ReadAsStringAsync());
        Assert.Equal("faas-middleware", second.Headers.GetValues("X-OpenFaaS-Internal").Single());
        Assert.Equal(429, (int)ready.StatusCode);
        Assert.Equal(200, (int)firstResponse.StatusCode);
        Assert.Equal("done\n", await firstResponse.Content.ReadAsStringAsync());
    }
}
