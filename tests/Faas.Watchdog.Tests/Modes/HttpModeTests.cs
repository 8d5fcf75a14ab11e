using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Faas.Watchdog.Tests.Modes;

public class HttpModeTests
{
    /// <summary>A watchdog in http mode whose function is the test-upstream server, started by the watchdog itself.</summary>
    internal static Task<WatchdogProcess> StartAsync(params (string Name, string Value)[] extra)
    {
        var upstreamPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["mode"] = "http",
            ["fprocess"] = $"{RepoPaths.TestUpstream} {upstreamPort}",
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return WatchdogProcess.StartAsync(environment);
    }

    [Fact]
    public async Task Requests_are_proxied_with_method_path_query_and_headers()
    {
        await using var watchdog = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Delete, watchdog.Url + "/headers?x=1&y=two");
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("Keep-Alive", "timeout=5");
        using var response = await TestHttp.Client.SendAsync(request);
        var seen = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/headers?x=1&y=two", seen[":path"]);
        Assert.Equal("DELETE", seen[":method"]);
        Assert.Equal("kept", seen["X-Custom"]);
        Assert.False(seen.ContainsKey("Keep-Alive"), "hop-by-hop header was forwarded");
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
    }

    [Fact]
    public async Task The_function_does_not_inherit_the_watchdogs_inline_socket_completions()
    {
        using var temp = new TempDirectory();
        var upstreamPort = FreePort.Next();
        var envFile = Path.Combine(temp.Path, "function.env");
        var script = Path.Combine(temp.Path, "function.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nenv > '{envFile}'\nexec '{RepoPaths.TestUpstream}' {upstreamPort}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "http",
            ["fprocess"] = script,
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
        });
        using var proxied = await TestHttp.Client.GetAsync(watchdog.Url + "/");
        var environment = await File.ReadAllTextAsync(envFile);

        Assert.Equal(200, (int)proxied.StatusCode);

        Assert.Contains("upstream_url=", environment);
        Assert.DoesNotContain(Faas.Proxy.InlineSocketCompletions.Variable, environment);
    }

    [Fact]
    public async Task Upstream_status_and_body_pass_through()
    {
        await using var watchdog = await StartAsync();

        using var echoed = await TestHttp.Client.PostAsync(watchdog.Url + "/echo", new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));
        using var teapot = await TestHttp.Client.GetAsync(watchdog.Url + "/status?code=418");

        Assert.Equal("{\"a\":1}", await echoed.Content.ReadAsStringAsync());
        Assert.Equal("application/json", echoed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(418, (int)teapot.StatusCode);
    }

    [Fact]
    public async Task Large_upload_streams_through_without_buffering()
    {
        await using var watchdog = await StartAsync();
        const long size = 64L * 1024 * 1024;

        using var content = new StreamContent(UnknownLengthStream.Pattern(size));
        using var response = await TestHttp.Client.PostAsync(watchdog.Url + "/size", content);

        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Buffer_http_sends_a_content_length_for_chunked_requests()
    {
        await using var watchdog = await StartAsync(("buffer_http", "true"));

        using var content = new StreamContent(UnknownLengthStream.Pattern(1000));
        using var response = await TestHttp.Client.PostAsync(watchdog.Url + "/headers", content);
        var seen = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("1000", seen["Content-Length"]);
        Assert.False(seen.ContainsKey("Transfer-Encoding"));
    }

    [Fact]
    public async Task Server_sent_events_arrive_as_they_are_produced()
    {
        await using var watchdog = await StartAsync();

        var clock = Stopwatch.StartNew();
        using var response = await TestHttp.Client.GetAsync(watchdog.Url + "/sse?count=3&interval=1000", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        var firstAt = clock.Elapsed;
        var rest = await reader.ReadToEndAsync();

        Assert.StartsWith("data: event 0", first);
        Assert.Contains("data: event 2", rest);
        Assert.True(firstAt < TimeSpan.FromSeconds(1.5), $"first event took {firstAt}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task Exec_timeout_answers_504_marked_internal()
    {
        await using var watchdog = await StartAsync(("exec_timeout", "500ms"));

        using var response = await TestHttp.Client.GetAsync(watchdog.Url + "/slow?ms=5000");

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("watchdog", response.Headers.GetValues("X-OpenFaaS-Internal").Single());
    }

    [Fact]
    public async Task Not_ready_until_ready_path_answers()
    {
        var upstreamPort = FreePort.Next();
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "http",
            ["fprocess"] = $"{RepoPaths.TestUpstream} {upstreamPort}",
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
            ["ready_path"] = "/ready",
            ["READY_AFTER_MS"] = "2000",
        }, waitUntilHealthy: false);

        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{upstreamPort}/", TimeSpan.FromSeconds(10));
        using (var early = await TestHttp.Client.GetAsync(watchdog.Url + "/_/health"))
        {
            Assert.Equal(503, (int)early.StatusCode);
        }

        Assert.False(File.Exists(watchdog.LockFile));
        await TestHttp.WaitForOkAsync(watchdog.Url + "/_/health", TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(watchdog.LockFile));
    }

    [Fact]
    public async Task Watchdog_exits_non_zero_when_the_function_dies()
    {
        await using var watchdog = await StartAsync();

        try
        {
            using var _ = await TestHttp.Client.GetAsync(watchdog.Url + "/crash");
        }
        catch (HttpRequestException)
        {
            // The connection may be cut as the function exits.
        }

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "watchdog kept running");
        Assert.Equal(1, watchdog.Process.ExitCode);
    }

    [Fact]
    public async Task A_dying_functions_last_output_is_logged_before_the_watchdog_exits()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "http",
            ["fprocess"] = "sh -c 'seq 1 100000 >&2; echo cannot bind: permission denied >&2; exit 3'",
            ["upstream_url"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, waitUntilHealthy: false);

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "watchdog kept running");
        Assert.Equal(1, watchdog.Process.ExitCode);
        Assert.Contains("cannot bind: permission denied", watchdog.Process.Output);
    }

    [Fact]
    public async Task WebSockets_pass_through_to_the_function()
    {
        await using var watchdog = await StartAsync();

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{watchdog.Port}/ws"), CancellationToken.None);
        await socket.SendAsync("ping over ws"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[100];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("ping over ws", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
