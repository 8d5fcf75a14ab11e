using Faas.Watchdog.Tests.Modes;

namespace Faas.Watchdog.Tests.FastPath;

/// <summary>What the watchdog adds to an invocation it serves on the fast path: limits, deadlines, metrics, logs.</summary>
public class FastPathInvocationTests
{
    [Fact]
    public async Task Max_inflight_answers_429_from_the_middleware_and_ready_reports_it()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("max_inflight", "1"));
        var slow = TestHttp.Client.GetAsync(watchdog.Url + "/slow?ms=1500");
        await Task.Delay(400);

        using var rejected = await TestHttp.Client.GetAsync(watchdog.Url + "/a");
        using var ready = await TestHttp.Client.GetAsync(watchdog.Url + "/_/ready");

        Assert.Equal(429, (int)rejected.StatusCode);
        Assert.Equal("faas-middleware", rejected.Headers.GetValues("X-OpenFaaS-Internal").Single());
        Assert.Equal("Concurrent request limit exceeded. Max concurrent requests: 1\n", await rejected.Content.ReadAsStringAsync());
        Assert.Equal(429, (int)ready.StatusCode);
        using var finished = await slow;
        Assert.Equal(200, (int)finished.StatusCode);
    }

    [Fact]
    public async Task A_shorter_X_Timeout_ends_the_invocation_with_504()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("exec_timeout", "10s"));
        using var request = new HttpRequestMessage(HttpMethod.Get, watchdog.Url + "/slow?ms=5000");
        request.Headers.Add("X-Timeout", "300ms");

        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("watchdog", response.Headers.GetValues("X-OpenFaaS-Internal").Single());
        Assert.Equal("function timed out after 0.3s\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("true", "soon")]
    [InlineData("false", "soon")]
    [InlineData("true", "-1s")]
    [InlineData("false", "0")]
    public async Task An_X_Timeout_that_is_not_a_positive_duration_is_400_on_either_path(string fastPath, string value)
    {
        await using var watchdog = await HttpModeTests.StartAsync(("http_fast_path", fastPath));
        using var request = new HttpRequestMessage(HttpMethod.Get, watchdog.Url + "/a");
        request.Headers.TryAddWithoutValidation("X-Timeout", value);

        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal($"X-Timeout \"{value}\" is not a positive duration: expected a duration such as 10s, 500ms, 1m30s, or a number of seconds\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invocations_are_counted_by_code_and_method_and_leave_nothing_in_flight()
    {
        await using var watchdog = await HttpModeTests.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await TestHttp.Client.GetAsync(watchdog.Url + "/a");
        }

        using var notFound = await TestHttp.Client.PostAsync(watchdog.Url + "/status?code=404", new StringContent("x"));

        var metrics = await TestHttp.Client.GetStringAsync(watchdog.MetricsUrl);
        Assert.Contains("http_requests_total{code=\"200\",method=\"GET\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{code=\"404\",method=\"POST\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"GET\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("http_requests_in_flight 0", metrics, StringComparison.Ordinal);
    }
}
