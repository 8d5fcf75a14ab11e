using System.Text.Json;
using Faas.Watchdog.Tests.Modes;

namespace Faas.Watchdog.Tests.FastPath;

/// <summary>The fast path from a client's side: a real watchdog in http mode, its real function, raw connections.</summary>
public class FastPathConnectionTests
{
    private const string Host = "Host: watchdog\r\n";

    [Fact]
    public async Task The_fast_path_and_Kestrels_path_answer_alike()
    {
        await using var fast = await HttpModeTests.StartAsync();
        await using var kestrel = await HttpModeTests.StartAsync(("http_fast_path", "false"));

        foreach (var (method, path, body) in new[]
        {
            ("GET", "/headers?q=1&r=a%20b", null), ("POST", "/echo", "hello"), ("PUT", "/size", new string('x', 20_000)),
            ("GET", "/status?code=404", null), ("DELETE", "/status?code=204", null), ("GET", "/sse?count=2&interval=1", null),
            ("GET", "/_/health", null), ("POST", "/_/health", null), ("GET", "/_/ready", null),
        })
        {
            var fastAnswer = await SendAsync(fast, method, path, body);
            var kestrelAnswer = await SendAsync(kestrel, method, path, body);
            Assert.Equal(kestrelAnswer, fastAnswer);
        }
    }

    [Fact]
    public async Task Requests_after_one_left_to_Kestrel_are_served_on_the_same_connection()
    {
        await using var watchdog = await HttpModeTests.StartAsync();
        using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);

        await connection.SendAsync($"GET /a HTTP/1.1\r\n{Host}\r\n");
        Assert.Equal("OK", (await connection.ReadResponseAsync()).Body);

        await connection.SendAsync($"POST /echo HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        Assert.Equal("hello", (await connection.ReadResponseAsync()).Body);

        await connection.SendAsync($"POST /echo HTTP/1.1\r\n{Host}Content-Length: 5\r\n\r\nagain");
        var last = await connection.ReadResponseAsync();
        Assert.Equal(200, last.StatusCode);
        Assert.Equal("again", last.Body);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var watchdog = await HttpModeTests.StartAsync();
        using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);

        await connection.SendAsync(
            $"POST /echo HTTP/1.1\r\n{Host}Content-Length: 3\r\n\r\none" +
            $"GET /status?code=202 HTTP/1.1\r\n{Host}\r\n" +
            $"POST /echo HTTP/1.1\r\n{Host}Content-Length: 5\r\n\r\nthree");

        Assert.Equal("one", (await connection.ReadResponseAsync()).Body);
        Assert.Equal(202, (await connection.ReadResponseAsync()).StatusCode);
        Assert.Equal("three", (await connection.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task A_request_that_arrives_in_pieces_is_served_whole()
    {
        await using var watchdog = await HttpModeTests.StartAsync();
        using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);

        await connection.SendAsync($"POST /echo HTTP/1.1\r\n{Host}Content-Length: 11\r\n\r\nhello");
        await Task.Delay(200);
        await connection.SendAsync(" world");
        Assert.Equal("hello world", (await connection.ReadResponseAsync()).Body);

        await connection.SendAsync("POST /echo HTTP/1.1\r\nHo");
        await Task.Delay(200);
        await connection.SendAsync($"st: watchdog\r\nContent-Length: 4\r\n\r\nrest");
        Assert.Equal("rest", (await connection.ReadResponseAsync()).Body);
    }

    [Fact]
    public async Task Malformed_input_gets_Kestrels_400()
    {
        await using var watchdog = await HttpModeTests.StartAsync();
        using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);

        await connection.SendAsync("GET / HTTP/1.1\r\nBad Name: x\r\nHost: watchdog\r\n\r\n");

        Assert.Equal(400, (await connection.ReadResponseAsync()).StatusCode);
    }

    /// <summary>A hostile function's header line with a bare LF: a lenient client would read a second framing header in it.</summary>
    [Fact]
    public async Task A_function_header_that_could_split_the_response_is_a_502_on_both_paths()
    {
        await using var function = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 200 OK\r\nX-Split\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nok"));

        foreach (var answer in await AskBothPathsAsync(function))
        {
            Assert.Equal(502, answer.StatusCode);
            Assert.DoesNotContain(answer.Headers, header => header.Name.Contains("Split", StringComparison.Ordinal));
        }
    }

    /// <summary>Header bytes beyond ASCII (a file name, say), in Latin-1 and in UTF-8: Kestrel's path answered them 500.</summary>
    [Fact]
    public async Task A_function_header_value_beyond_ASCII_is_relayed_byte_for_byte_on_both_paths()
    {
        await using var function = new ScriptedUpstream(ScriptedUpstream.AnswerEach(
            "HTTP/1.1 200 OK\r\nX-Latin-1: caf\u00e9\r\nX-Utf-8: caf\u00c3\u00a9\r\nContent-Length: 2\r\n\r\nok"));

        foreach (var answer in await AskBothPathsAsync(function))
        {
            Assert.Equal((200, "caf\u00e9", "caf\u00c3\u00a9"), (answer.StatusCode, answer.Header("X-Latin-1"), answer.Header("X-Utf-8")));
        }
    }

    /// <summary>
    /// A function that dies inside its body. The fast path used to reset the connection with the head and the bytes in
    /// hand still unsent, so the client saw no answer at all: what a client may retry, invoking the function again.
    /// </summary>
    [Fact]
    public async Task A_function_that_closes_inside_its_body_leaves_the_client_the_head_and_the_bytes_it_sent_on_both_paths()
    {
        await using var function = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            connection.Close();
        });
        (string, string)[] scripted = [("fprocess", "sleep infinity"), ("upstream_url", $"http://127.0.0.1:{function.Port}")];
        await using var fast = await HttpModeTests.StartAsync(scripted);
        await using var kestrel = await HttpModeTests.StartAsync([.. scripted, ("http_fast_path", "false")]);

        foreach (var watchdog in new[] { fast, kestrel })
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync("127.0.0.1", watchdog.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /x HTTP/1.1\r\n{Host}\r\n"));
            var received = new MemoryStream();
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            }
            catch (IOException)
            {
                // The connection ends in a reset after what was sent: the client keeps what it read.
            }

            var text = System.Text.Encoding.Latin1.GetString(received.ToArray());
            Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nabc", text, StringComparison.Ordinal);
        }
    }

    /// <summary>GET /x through a fast-path watchdog and a Kestrel-path one whose function is <paramref name="function"/>.</summary>
    private static async Task<RawResponse[]> AskBothPathsAsync(ScriptedUpstream function)
    {
        (string, string)[] scripted = [("fprocess", "sleep infinity"), ("upstream_url", $"http://127.0.0.1:{function.Port}")];
        await using var fast = await HttpModeTests.StartAsync(scripted);
        await using var kestrel = await HttpModeTests.StartAsync([.. scripted, ("http_fast_path", "false")]);
        var answers = new List<RawResponse>();
        foreach (var watchdog in new[] { fast, kestrel })
        {
            using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);
            await connection.SendAsync($"GET /x HTTP/1.1\r\n{Host}\r\n");
            answers.Add(await connection.ReadResponseAsync());
        }

        return [.. answers];
    }

    [Fact]
    public async Task On_SIGTERM_a_kept_alive_connection_gets_its_answer_marked_close_and_is_then_closed()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("write_timeout", "10s"));
        using var connection = await RawHttpConnection.ConnectAsync(watchdog.Port);
        await connection.SendAsync($"GET /a HTTP/1.1\r\n{Host}\r\n");
        Assert.Equal(200, (await connection.ReadResponseAsync()).StatusCode);

        await connection.SendAsync($"GET /slow?ms=1500 HTTP/1.1\r\n{Host}\r\n");
        await Task.Delay(300);
        watchdog.Process.Signal(15);

        var answer = await connection.ReadResponseAsync();
        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// What a client can observe of one exchange, minus what differs by design: the date, the duration, the order of headers,
    /// and the framing of the watchdog's own short answers (a Content-Length on the fast path, chunked on Kestrel's).
    /// </summary>
    private static async Task<string> SendAsync(WatchdogProcess watchdog, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), watchdog.Url + path);
        request.Headers.Add("X-Custom", "value one");
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        using var response = await TestHttp.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (path.StartsWith("/headers", StringComparison.Ordinal))
        {
            var seen = JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;
            Assert.StartsWith("127.0.0.1:", seen["Host"], StringComparison.Ordinal);
            seen["Host"] = "the function's own";
            text = string.Join('\n', seen.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => $"{pair.Key.ToLowerInvariant()}={pair.Value}"));
        }
        else if (path.StartsWith("/sse", StringComparison.Ordinal))
        {
            text = string.Join('\n', text.Split('\n').Select(line => line.Split(" at ")[0]));
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(header => header.Key is not ("Date" or "X-Duration-Seconds") && !(path.StartsWith("/_/", StringComparison.Ordinal) && header.Key is "Content-Length" or "Transfer-Encoding"))
            .OrderBy(header => header.Key, StringComparer.Ordinal)
            .Select(header => $"{header.Key}: {string.Join(",", header.Value)}");
        return $"{method} {path}: {(int)response.StatusCode}\n{string.Join('\n', headers)}\n\n{text}";
    }
}
