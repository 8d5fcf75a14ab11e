using System.Net;
using System.Text;

namespace Faas.Proxy.Tests;

public class HttpForwarderTests
{
    private static readonly HttpClient Client = TestHttp.Client;

    [Fact]
    public async Task Chunked_response_is_relayed_whole_with_extensions_and_trailers_consumed()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n" +
            "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: dropped\r\n\r\n"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        var first = await Client.GetStringAsync(proxy.Url + "/a");
        var second = await Client.GetStringAsync(proxy.Url + "/b");

        Assert.Equal("hello, world", first);
        Assert.Equal("hello, world", second);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Keep_alive_connections_are_reused_for_sequential_requests()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok", await Client.GetStringAsync(proxy.Url + "/"));
        }

        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Close_delimited_body_is_read_to_the_end_and_the_connection_not_reused()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
            connection.Close();
        });
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        Assert.Equal("until the end", await Client.GetStringAsync(proxy.Url + "/"));
        Assert.Equal("until the end", await Client.GetStringAsync(proxy.Url + "/"));
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Interim_100_continue_is_skipped()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var response = await Client.GetAsync(proxy.Url + "/");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("SPDY/3 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\n folded: header\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Split: a\rInjected: yes\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Split\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX Split: a\r\nContent-Length: 2\r\n\r\nok")]
    public async Task Malformed_responses_become_upstream_failures(string response)
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach(response));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var answer = await Client.GetAsync(proxy.Url + "/");

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stale_keep_alive_connection_is_retried_once_on_a_fresh_one(bool reset)
    {
        // Closed (as by an upstream whose idle timeout fired) or reset (as by a function process that died): reset, the
        // next send on it fails before any byte of its response, and the previous response's bytes must not count.
        var ended = new TaskCompletionSource();
        await using var upstream = ScriptedUpstream.FirstConnectionEnds("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ended.Task, reset);
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        Assert.Equal("ok", await Client.GetStringAsync(proxy.Url + "/"));
        ended.SetResult();
        await Task.Delay(100);
        Assert.Equal("ok", await Client.GetStringAsync(proxy.Url + "/"));
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Refused_connection_is_reported_as_connect_failure()
    {
        await using var proxy = await ForwardingServer.StartAsync(FreePort.Next());

        using var response = await Client.GetAsync(proxy.Url + "/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ForwardResult.ConnectFailed, Assert.Single(proxy.Results));
    }

    [Fact]
    public async Task Upstream_slower_than_the_deadline_is_a_timeout()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
        });
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port, timeout: TimeSpan.FromMilliseconds(300));

        using var response = await Client.GetAsync(proxy.Url + "/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Body_cut_short_after_headers_aborts_the_client_connection()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            connection.Close();
        });
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Client.GetStringAsync(proxy.Url + "/"));
    }

    [Fact]
    public async Task Hop_by_hop_response_headers_are_dropped_and_repeated_headers_kept()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Private\r\nKeep-Alive: timeout=5\r\nX-Private: secret\r\n" +
            "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Kept: yes\r\nContent-Length: 0\r\n\r\n"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var response = await Client.GetAsync(proxy.Url + "/");

        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.False(response.Headers.Contains("X-Private"));
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("yes", response.Headers.GetValues("X-Kept").Single());
    }

    [Fact]
    public async Task Request_head_has_the_upstream_host_no_hop_by_hop_headers_and_the_raw_target()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 204 No Content\r\n\r\n"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port, new ForwardOptions
        {
            AddRequestHeaders = _ => [new("X-Forwarded-Host", "original.example")],
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url + "/a%20b/c%2Fd?q=1%262");
        request.Headers.Add("Proxy-Authorization", "Basic secret");
        request.Headers.Add("X-Forwarded-Host", "spoofed");
        request.Headers.Add("X-Custom", "kept");
        using var _ = await Client.SendAsync(request);

        var head = Assert.Single(upstream.RequestHeads);
        Assert.StartsWith("GET /a%20b/c%2Fd?q=1%262 HTTP/1.1\r\n", head);
        Assert.Contains($"\r\nHost: 127.0.0.1:{upstream.Port}", head);
        Assert.Contains("\r\nX-Custom: kept", head);
        Assert.Contains("\r\nX-Forwarded-Host: original.example", head);
        Assert.DoesNotContain("spoofed", head);
        Assert.DoesNotContain("Proxy-Authorization", head);
    }

    [Fact]
    public async Task Request_body_of_unknown_length_is_sent_chunked()
    {
        string? received = null;
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            var head = await connection.ReadHeadAsync();
            Assert.Contains("Transfer-Encoding: chunked", head);
            received = await connection.ReadUntilAsync("0\r\n\r\n");
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        });
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var content = new StreamContent(UnknownLengthStream.Of(Encoding.ASCII.GetBytes("streamed body")));
        using var response = await Client.PostAsync(proxy.Url + "/", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("D\r\nstreamed body\r\n", received);
    }

    [Fact]
    public async Task Request_body_with_a_length_is_sent_with_that_length()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            var head = await connection.ReadHeadAsync();
            var body = await connection.ReadBytesAsync(5);
            await connection.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{Encoding.ASCII.GetString(body)}");
        });
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var response = await Client.PostAsync(proxy.Url + "/", new StringContent("12345"));

        Assert.Equal("12345", await response.Content.ReadAsStringAsync());
        Assert.Contains("Content-Length: 5", Assert.Single(upstream.RequestHeads));
    }

    [Fact]
    public async Task Head_request_expects_no_body_even_with_a_content_length()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"));
        await using var proxy = await ForwardingServer.StartAsync(upstream.Port);

        using var first = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, proxy.Url + "/"));
        using var second = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, proxy.Url + "/"));

        Assert.Equal(1234, first.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, upstream.Connections);
    }
}
