using System.Globalization;
using System.Net;
using System.Text.Json;
using Faas.Gateway.Invoke;
using Faas.Gateway.Metrics;
using Faas.Posix;
using Faas.Provider;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Invoke.FastPath;

/// <summary>
/// The gateway's fast path from a client's side: real gateways, a real replica (watchdog and test upstream), raw
/// connections too. Not beside the tracing tests: a tracer listening anywhere in the process (an ActivitySource's
/// listeners are process-wide) sends every invocation down Kestrel's path, as it should.
/// </summary>
[Collection(InvocationTracingTests.Collection)]
public class InvokeFastPathTests
{
    private const string Host = "Host: gateway\r\n";
    private const int SigStop = 19;
    private const int SigCont = 18;

    [Fact]
    public async Task The_fast_path_and_Kestrels_path_answer_alike_and_the_function_sees_the_same_request()
    {
        await using var fast = await StartAsync(fastPath: true);
        await using var kestrel = await StartAsync(fastPath: false);

        foreach (var (method, path, body, header) in new (string, string, string?, string?)[]
        {
            ("GET", "/headers?q=1&r=a%20b", null, null), ("POST", "/echo", "hello", null), ("PUT", "/size", new string('x', 20_000), null),
            ("GET", "/status?code=404", null, null), ("DELETE", "/status?code=204", null, null), ("GET", "?only=query", null, null),
            ("GET", "", null, null), ("GET", "/sse?count=2&interval=1", null, null), ("GET", "/download", null, null),
            ("POST", "/headers", "{}", "X-Call-Id: given-id"), ("GET", "/headers", null, "X-Forwarded-For: 203.0.113.7"),
            ("GET", "/headers", null, "X-Forwarded-Host: example.com"), ("GET", "/headers", null, "Cookie: theme=dark"),
            ("GET", "/headers", null, "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            ("GET", "/headers", null, "X-Timeout: 2s"), ("GET", "/slow?ms=3000", null, "X-Timeout: 500ms"),
        })
        {
            var fastAnswer = await SendAsync(fast, method, path, body, header);
            var kestrelAnswer = await SendAsync(kestrel, method, path, body, header);
            Assert.Equal(kestrelAnswer, fastAnswer);
        }

        Assert.Equal(16, FastPathInvocations(fast));
        Assert.Equal(0, FastPathInvocations(kestrel));
    }

    [Fact]
    public async Task A_connection_serves_invocations_until_a_request_needs_Kestrel_which_serves_the_rest()
    {
        await using var gateway = await StartAsync(fastPath: true);
        using var connection = await RawHttpConnection.ConnectAsync(new Uri(gateway.Url).Port);

        // Pipelined: two invocations on the fast path, then the admin API's 401 (Kestrel's), then an invocation Kestrel serves.
        await connection.SendAsync(
            $"POST /function/echo/echo HTTP/1.1\r\n{Host}Content-Length: 3\r\n\r\none" +
            $"GET /function/echo/status?code=202 HTTP/1.1\r\n{Host}\r\n" +
            $"GET /system/functions HTTP/1.1\r\n{Host}\r\n" +
            $"POST /function/echo/echo HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n5\r\nchunk\r\n0\r\n\r\n");

        Assert.Equal("one", (await connection.ReadResponseAsync()).Body);
        Assert.Equal(202, (await connection.ReadResponseAsync()).StatusCode);
        Assert.Equal(401, (await connection.ReadResponseAsync()).StatusCode);
        Assert.Equal("chunk", (await connection.ReadResponseAsync()).Body);
        Assert.Equal(2, FastPathInvocations(gateway));
    }

    [Fact]
    public async Task Requests_it_does_not_take_keep_Kestrels_answers()
    {
        await using var gateway = await StartAsync(fastPath: true);
        foreach (var (request, status) in new[]
        {
            ($"GET /function/echo HTTP/1.1\r\n{Host}X-Call-Id: bad id\r\n\r\n", 400),
            ($"GET /function/echo HTTP/1.1\r\n{Host}X-Timeout: soon\r\n\r\n", 400),
            ($"GET /function/echo.-bad HTTP/1.1\r\n{Host}\r\n", 400),
            ($"GET /function/Echo HTTP/1.1\r\n{Host}\r\n", 404),
            ($"GET /function/echo/a%20b HTTP/1.1\r\n{Host}\r\n", 200),
            ($"GET /function/echo HTTP/1.1\r\n\r\n", 400),
        })
        {
            using var connection = await RawHttpConnection.ConnectAsync(new Uri(gateway.Url).Port);
            await connection.SendAsync(request);
            Assert.Equal(status, (await connection.ReadResponseAsync()).StatusCode);
        }

        Assert.Equal(0, FastPathInvocations(gateway));
    }

    [Fact]
    public async Task A_scale_from_zero_and_an_unknown_function_are_answered_on_the_fast_path_and_the_connection_stays_on_it()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        (await gateway.DeployHttpAsync("lazy", ""","labels":{"com.openfaas.scale.min":"0"}""")).EnsureSuccessStatusCode();
        using var connection = await RawHttpConnection.ConnectAsync(new Uri(gateway.Url).Port);

        await connection.SendAsync($"POST /function/lazy/echo HTTP/1.1\r\n{Host}Content-Length: 4\r\n\r\ncold");
        var cold = await connection.ReadResponseAsync();
        Assert.Equal("cold", cold.Body);
        Assert.NotNull(cold.Header("X-Cold-Start-Seconds"));

        await connection.SendAsync($"GET /function/nobody HTTP/1.1\r\n{Host}\r\n");
        var unknown = await connection.ReadResponseAsync();
        Assert.Equal(404, unknown.StatusCode);
        Assert.Contains("nobody", unknown.Body, StringComparison.Ordinal);

        await connection.SendAsync($"POST /function/lazy/echo HTTP/1.1\r\n{Host}Content-Length: 4\r\n\r\nwarm");
        var warm = await connection.ReadResponseAsync();
        Assert.Equal("warm", warm.Body);
        Assert.Null(warm.Header("X-Cold-Start-Seconds"));

        Assert.Equal(2, FastPathInvocations(gateway));
        Assert.DoesNotContain("nobody", await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_that_stops_answering_is_the_gateways_504_naming_the_function_with_the_call_id()
    {
        await using var gateway = await StartAsync(fastPath: true);
        using (var warm = await TestHttp.Client.GetAsync(gateway.Url + "/function/echo"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // Every ready replica's watchdog stopped (SIGSTOP): the gateway's own deadline, the caller's X-Timeout plus a second,
        // answers. All of them, so that a replica the provider added meanwhile cannot answer in the stopped one's place.
        var function = new FunctionKey("echo", "openfaas-fn");
        var endpoints = gateway.Services.GetRequiredService<IFunctionProvider>().GetReadyEndpoints(function);
        Assert.Contains(gateway.Services.GetRequiredService<RoutingTable>().Pick(function)!.Endpoint, endpoints);
        var watchdogs = endpoints.Select(endpoint => Assert.Single(ProcessTable.WithEnvironment("port", endpoint.Port.ToString(CultureInfo.InvariantCulture)),
            pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog)).ToList();
        try
        {
            Assert.All(watchdogs, watchdog => Assert.True(Signals.Send(watchdog, SigStop)));
            using var request = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/function/echo");
            request.Headers.Add("X-Timeout", "1s");
            request.Headers.Add("X-Call-Id", "stalled-call");
            using var stalled = await TestHttp.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.GatewayTimeout, stalled.StatusCode);
            Assert.Equal("echo.openfaas-fn did not answer within 1s\n", await stalled.Content.ReadAsStringAsync());
            Assert.Equal("stalled-call", stalled.Headers.GetValues("X-Call-Id").Single());
        }
        finally
        {
            watchdogs.ForEach(watchdog => Signals.Send(watchdog, SigCont));
        }

        Assert.Equal(2, FastPathInvocations(gateway));
        var text = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");
        Assert.Contains("gateway_function_invocation_total{function_name=\"echo.openfaas-fn\",code=\"504\"} 1\n", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// wrk, browsers and proxies often end a connection with a reset. Kestrel's path takes that for the client leaving;
    /// the fast path let the reset through to Kestrel as a connection that failed, an error logged for each one.
    /// </summary>
    [Fact]
    public async Task A_client_that_resets_its_connection_is_no_error_in_the_log()
    {
        await using var gateway = await StartAsync(fastPath: true);
        var port = new Uri(gateway.Url).Port;
        for (var i = 0; i < 3; i++)
        {
            using var connection = await RawHttpConnection.ConnectAsync(port);
            await connection.SendAsync($"GET /function/echo/a HTTP/1.1\r\n{Host}\r\n");
            Assert.Equal(200, (await connection.ReadResponseAsync()).StatusCode);
            connection.Reset();
        }

        Assert.False(await ProcessTable.EventuallyAsync(() => gateway.Warnings.Lines.Any(line => line.Contains("Unhandled exception", StringComparison.Ordinal)), TimeSpan.FromSeconds(2)),
            gateway.Warnings.ToString());
        Assert.Equal(3, FastPathInvocations(gateway));
        using var after = await RawHttpConnection.ConnectAsync(port);
        await after.SendAsync($"GET /function/echo/a HTTP/1.1\r\n{Host}\r\n");
        Assert.Equal(200, (await after.ReadResponseAsync()).StatusCode);
    }

    private static async Task<GatewayFixture> StartAsync(bool fastPath)
    {
        var gateway = await GatewayFixture.StartAsync(options => options.FastPath = fastPath);
        try
        {
            (await gateway.DeployHttpAsync("echo")).EnsureSuccessStatusCode();
            await gateway.WaitForAvailableAsync("echo");
            return gateway;
        }
        catch
        {
            // Its replicas and state go before the test sees the failure.
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static long FastPathInvocations(GatewayFixture gateway) => (long)gateway.Services.GetRequiredService<GatewayMetrics>().FastPathInvocations.Value;

    /// <summary>
    /// What a client and the function can observe of one exchange, minus what differs by design: dates, durations,
    /// generated ids, the gateway's and the replica's ports, the order of headers.
    /// </summary>
    private static async Task<string> SendAsync(GatewayFixture gateway, string method, string path, string? body, string? header)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), gateway.Url + "/function/echo" + path);
        request.Headers.Add("X-Custom", "value one");
        if (header?.Split(": ") is [var name, var value])
        {
            request.Headers.Add(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        using var response = await TestHttp.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var given = header?.Split(": ")[0];
        if (path.StartsWith("/headers", StringComparison.Ordinal))
        {
            var seen = JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;
            foreach (var generated in new[] { "Host", "X-Start-Time", "X-Call-Id", "traceparent" })
            {
                if (generated != given && seen.Remove(generated, out var seenValue))
                {
                    seen[generated] = seenValue.Length > 0 ? "(generated)" : "";
                }
            }

            text = string.Join('\n', seen.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => $"{pair.Key.ToLowerInvariant()}={pair.Value}"))
                .Replace(new Uri(gateway.Url).Authority, "(the gateway)", StringComparison.Ordinal);
        }
        else if (path.StartsWith("/sse", StringComparison.Ordinal))
        {
            text = string.Join('\n', text.Split('\n').Select(line => line.Split(" at ")[0]));
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(pair => pair.Key is not ("Date" or "X-Duration-Seconds" or "X-Start-Time") && (pair.Key != "X-Call-Id" || given == "X-Call-Id"))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}: {string.Join(",", pair.Value)}");
        return $"{method} {path} ({header}): {(int)response.StatusCode}\n{string.Join('\n', headers)}\n\n{text}";
    }
}
