
namespace Faas.Watchdog.Tests.Modes;

public class SerializingModeTests
{
    [Fact]
    public async Task Whole_output_is_returned_with_length_and_duration()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c 'tr a-z A-Z'",
            ["content_type"] = "text/plain",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("make me loud"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("MAKE ME LOUD", await response.Content.ReadAsStringAsync());
        Assert.Equal(12, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
    }

    [Fact]
    public async Task Non_zero_exit_answers_500_with_stderr()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c 'echo partial; echo something broke >&2; exit 1'",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal(500, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("something broke", body);
        Assert.DoesNotContain("partial", body);
    }

    [Fact]
    public async Task Exec_timeout_answers_504()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c 'echo early; sleep 30'",
            ["exec_timeout"] = "500ms",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("watchdog", response.Headers.GetValues("X-OpenFaaS-Internal").Single());
    }

    [Fact]
    public async Task Combine_output_appends_stderr_to_the_body()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c 'echo out; echo err >&2'",
            ["combine_output"] = "1",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal("out\nerr\n", await response.Content.ReadAsStringAsync());
    }
}
