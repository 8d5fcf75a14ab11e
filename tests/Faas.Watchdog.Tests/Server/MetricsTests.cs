
namespace Faas.Watchdog.Tests.Server;

public class MetricsTests
{
    [Fact]
    public async Task Invocations_are_counted_and_the_exposition_passes_promtool()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });

        for (var i = 0; i < 3; i++)
        {
            using var _ = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("x"));
        }

        using var health = await TestHttp.Client.GetAsync(watchdog.Url + "/_/health");
        using var response = await TestHttp.Client.GetAsync(watchdog.MetricsUrl);
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("http_requests_total{code=\"200\",method=\"POST\"} 3\n", text);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"POST\"} 3\n", text);
        Assert.Contains("http_requests_in_flight 0\n", text);
        Assert.DoesNotContain("method=\"GET\"", text);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, output);
    }
}
