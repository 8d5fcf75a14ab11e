using System.Diagnostics;
using System.Text;

namespace Faas.Watchdog.Tests.Modes;

public class StreamingModeTests
{
    [Fact]
    public async Task Request_body_is_the_function_stdin_and_stdout_is_the_response()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("hello function"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello function", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_request_leaves_none_of_its_functions_pipes_open_in_the_watchdog()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });
        // The first fork also opens the runtime's own pipe for child signals, kept for the process's life.
        using (var first = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent("first")))
        {
            Assert.Equal(200, (int)first.StatusCode);
        }

        // Pipes, not descriptors: the watchdog's own output is duplicated onto further descriptors as it goes.
        var before = ProcessTable.OpenPipes(watchdog.Process.Pid).ToHashSet();
        for (var i = 0; i < 20; i++)
        {
            using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent($"request {i}"));
            Assert.Equal($"request {i}", await response.Content.ReadAsStringAsync());
        }

        List<string> Opened() => [.. ProcessTable.OpenPipes(watchdog.Process.Pid).Distinct().Except(before)];
        Assert.True(await ProcessTable.EventuallyAsync(() => Opened().Count == 0, TimeSpan.FromSeconds(4)),
            $"{Opened().Count} pipes opened by 20 requests are still open");
    }

    [Fact]
    public async Task Output_is_streamed_before_the_process_exits()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'echo first; sleep 3; echo second'",
        });

        var clock = Stopwatch.StartNew();
        using var response = await TestHttp.Client.GetAsync(watchdog.Url, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        var firstArrived = clock.Elapsed;
        var second = await reader.ReadLineAsync();

        Assert.Equal("first", first);
        Assert.Equal("second", second);
        Assert.True(firstArrived < TimeSpan.FromSeconds(2), $"first line took {firstArrived}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"second line came after {clock.Elapsed}");
    }

    [Fact]
    public async Task Request_metadata_reaches_the_function_as_http_variables()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'echo $Http_Method $Http_Path $Http_Query $Http_Content_Type $Http_X_Custom'",
        });

        using var request = new HttpRequestMessage(HttpMethod.Put, watchdog.Url + "/some/path?a=1&b=2")
        {
            Content = new StringContent("x", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Custom", "custom-value");
        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal("PUT /some/path a=1&b=2 text/plain; charset=utf-8 custom-value\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Exec_timeout_kills_the_whole_process_group_and_answers_504()
    {
        using var temp = new TempDirectory();
        var pidFile = temp.Combine("grandchild.pid");
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = $"sh -c 'sleep 60 & echo $! > {pidFile}; wait'",
            ["exec_timeout"] = "1s",
        });

        var clock = Stopwatch.StartNew();
        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("timed out after 1s", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var grandchild = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        await AssertProcessGoneAsync(grandchild);
    }

    [Fact]
    public async Task X_Timeout_shorter_than_exec_timeout_is_honoured()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sleep 20",
            ["exec_timeout"] = "30s",
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, watchdog.Url);
        request.Headers.Add("X-Timeout", "500ms");
        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Contains("0.5s", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stderr_goes_to_the_log_with_a_prefix_not_to_the_body()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'echo to-body; echo to-log >&2'",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal("to-body\n", await response.Content.ReadAsStringAsync());
        Assert.True(await watchdog.Process.WaitForOutputAsync("stderr: to-log", TimeSpan.FromSeconds(5)), watchdog.Process.Output);
    }

    [Fact]
    public async Task Combine_output_puts_stderr_into_the_body()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'echo out; sleep 0.2; echo err >&2'",
            ["combine_output"] = "true",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal("out\nerr\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Failure_before_any_output_is_a_500()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "sh -c 'exit 3'" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains("exited with code 3", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_that_ignores_stdin_still_answers()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "echo ignored-input" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new ByteArrayContent(new byte[4 * 1024 * 1024]));
        // Writing the rest of the body to the closed pipe raised SIGPIPE in the watchdog, which handles it (for its
        // functions' sake) and must not die of it.
        using var next = await TestHttp.Client.PostAsync(watchdog.Url, new ByteArrayContent(new byte[4 * 1024 * 1024]));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ignored-input\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)next.StatusCode);
        Assert.False(watchdog.Process.HasExited, watchdog.Process.Output);
    }

    internal static async Task AssertProcessGoneAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"process {pid} is still running");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
