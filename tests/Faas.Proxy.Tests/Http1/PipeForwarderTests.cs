using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Faas.Proxy.Http1;
using Faas.Proxy.Upstream;

namespace Faas.Proxy.Tests.Http1;

public class PipeForwarderTests
{
    private const string Get = "GET /x HTTP/1.1\r\nHost: upstream\r\n\r\n";

    /// <summary>Forwards <paramref name="request"/> and returns the outcome with everything written to the client.</summary>
    private static async Task<(RelayOutcome Outcome, string Written)> ForwardAsync(UpstreamClient client, int port, string request = Get,
        CancellationToken cancellationToken = default)
    {
        var output = new Pipe();
        var outcome = await PipeForwarder.ForwardAsync(Encoding.ASCII.GetBytes(request), client, "127.0.0.1", port, output.Writer,
            new HeadBuffer(), new DurationHeaders(), cancellationToken);
        await output.Writer.CompleteAsync();
        var read = await output.Reader.ReadAtLeastAsync(int.MaxValue);
        var written = Encoding.Latin1.GetString(read.Buffer.ToArray());
        output.Reader.AdvanceTo(read.Buffer.End);
        return (outcome, written);
    }

    [Fact]
    public async Task A_response_goes_out_with_its_end_to_end_headers_the_callers_headers_and_its_own_length()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach(
            "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nConnection: X-Hop\r\nX-Hop: dropped\r\nKeep-Alive: timeout=5\r\n" +
            "X-Duration-Seconds: 9\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 5\r\n\r\nhello"));
        using var client = new UpstreamClient();

        var (outcome, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(new RelayOutcome(ForwardResult.Success, 201, true, 5), outcome);
        var (head, body) = Split(written);
        Assert.StartsWith("HTTP/1.1 201 Created\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: text/plain\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nDate: ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Duration-Seconds: 0.5\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 5\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Hop", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Keep-Alive", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection", head, StringComparison.Ordinal);
        Assert.DoesNotContain(": 9\r\n", head, StringComparison.Ordinal);
        Assert.Equal("hello", body);
    }

    [Fact]
    public async Task A_chunked_response_is_rechunked_and_its_connection_reused()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));
        using var client = new UpstreamClient();

        var (first, written) = await ForwardAsync(client, upstream.Port);
        var (second, _) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.Success, first.Result);
        Assert.Equal(ForwardResult.Success, second.Result);
        var (head, body) = Split(written);
        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\n", head, StringComparison.Ordinal);
        Assert.Equal(2, head.Split("Date:").Length);
        Assert.Equal("hello, world", Dechunk(body));
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task A_close_delimited_response_is_chunked_for_the_client_and_its_connection_dropped()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\n\r\nuntil close");
            connection.Close();
        });
        using var client = new UpstreamClient();

        var (first, written) = await ForwardAsync(client, upstream.Port);
        var (second, _) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.Success, first.Result);
        Assert.Equal(ForwardResult.Success, second.Result);
        Assert.Equal("until close", Dechunk(Split(written).Body));
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task A_no_content_response_has_neither_body_nor_framing()
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n"));
        using var client = new UpstreamClient();

        var (outcome, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(204, outcome.StatusCode);
        var (head, body) = Split(written);
        Assert.DoesNotContain("Content-Length", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Transfer-Encoding", head, StringComparison.Ordinal);
        Assert.Empty(body);
    }

    [Fact]
    public async Task An_upstream_that_fails_before_its_body_leaves_the_client_untouched_for_a_5xx()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
            connection.Close();
        });
        using var client = new UpstreamClient();

        var (outcome, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(new RelayOutcome(ForwardResult.UpstreamFailed, 0, false, null), outcome);
        Assert.Empty(written);
    }

    [Fact]
    public async Task An_upstream_that_fails_inside_its_body_ends_in_an_abort()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            await Task.Delay(100);
            connection.Close();
        });
        using var client = new UpstreamClient();

        var (outcome, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.Aborted, outcome.Result);
        Assert.True(outcome.ResponseStarted);
        Assert.EndsWith("\r\n\r\nabc", written, StringComparison.Ordinal);
    }

    /// <summary>A lenient client or proxy downstream would read a bare CR or LF as the end of a line: a second framing header.</summary>
    [Theory]
    [InlineData("X-Split: a\nInjected: yes")]
    [InlineData("X-Split: a\rInjected: yes")]
    [InlineData("X-Split: a\0b")]
    [InlineData("X-Split\nTransfer-Encoding: chunked")]
    [InlineData("X-Split\rTransfer-Encoding: chunked")]
    [InlineData("X-\0Split: a")]
    [InlineData("X Split: a")]
    public async Task A_header_line_that_could_split_the_response_is_never_relayed(string field)
    {
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach($"HTTP/1.1 200 OK\r\n{field}\r\nContent-Length: 2\r\n\r\nok"));
        using var client = new UpstreamClient();

        var (outcome, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.UpstreamFailed, outcome.Result);
        Assert.Empty(written);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pooled_connection_the_upstream_closed_or_reset_is_retried_on_a_fresh_one(bool reset)
    {
        // Reset, the next send on it fails before any byte of its response: the previous response's bytes must not
        // count against the retry.
        var ended = new TaskCompletionSource();
        await using var upstream = ScriptedUpstream.FirstConnectionEnds("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ended.Task, reset);
        using var client = new UpstreamClient();

        var (first, _) = await ForwardAsync(client, upstream.Port);
        ended.SetResult();
        await Task.Delay(100);
        var (second, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.Success, first.Result);
        Assert.Equal(ForwardResult.Success, second.Result);
        Assert.EndsWith("\r\n\r\nok", written, StringComparison.Ordinal);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task A_request_cancelled_as_its_response_went_out_leaves_no_broken_connection_to_the_next()
    {
        // The client leaves (or the deadline fires) just as the response is flushed: that request's abort must not
        // reach the connection once it serves another request: it is not pooled, and the next request is not failed by it.
        await using var upstream = new ScriptedUpstream(ScriptedUpstream.AnswerEach("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        using var client = new UpstreamClient();
        using var leaving = new CancellationTokenSource();
        var output = new CancelOnFlushWriter(new Pipe().Writer, leaving);

        var outcome = await PipeForwarder.ForwardAsync(Encoding.ASCII.GetBytes(Get), client, "127.0.0.1", upstream.Port, output,
            new HeadBuffer(), new DurationHeaders(), leaving.Token);
        var (next, written) = await ForwardAsync(client, upstream.Port);

        Assert.Equal(ForwardResult.Success, outcome.Result);
        Assert.True(leaving.IsCancellationRequested);
        Assert.Equal(ForwardResult.Success, next.Result);
        Assert.EndsWith("\r\n\r\nok", written, StringComparison.Ordinal);
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(2, upstream.RequestHeads.Count);
    }

    [Fact]
    public async Task The_deadline_ends_a_wait_for_the_response_as_a_timeout()
    {
        await using var upstream = new ScriptedUpstream(async connection =>
        {
            await connection.ReadHeadAsync();
            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        using var client = new UpstreamClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var (outcome, written) = await ForwardAsync(client, upstream.Port, cancellationToken: deadline.Token);

        Assert.Equal(ForwardResult.Timeout, outcome.Result);
        Assert.Empty(written);
    }

    [Fact]
    public async Task Nothing_listening_is_a_connect_failure()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var client = new UpstreamClient();

        var (outcome, _) = await ForwardAsync(client, port);

        Assert.Equal(ForwardResult.ConnectFailed, outcome.Result);
    }

    private static (string Head, string Body) Split(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (response[..(end + 2)], response[(end + 4)..]);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(body[..lineEnd], 16);
            if (size == 0)
            {
                Assert.Equal("0\r\n\r\n", body);
                return result.ToString();
            }

            result.Append(body, lineEnd + 2, size);
            Assert.Equal("\r\n", body.Substring(lineEnd + 2 + size, 2));
            body = body[(lineEnd + 4 + size)..];
        }
    }

    /// <summary>Writes a fixed X-Duration-Seconds, replacing the upstream's, as the watchdog does with the real one.</summary>
    private sealed class DurationHeaders : IResponseHeaderSource
    {
        public bool Drops(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => System.Text.Ascii.EqualsIgnoreCase(name, "X-Duration-Seconds"u8);

        public void WriteHeaders(HeadBuffer head) => head.Header("X-Duration-Seconds"u8, "0.5");
    }

    /// <summary>A client connection that goes away the moment its response has been flushed to it.</summary>
    private sealed class CancelOnFlushWriter(PipeWriter inner, CancellationTokenSource leaving) : PipeWriter
    {
        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var flushed = await inner.FlushAsync(cancellationToken);
            await leaving.CancelAsync();
            return flushed;
        }
    }
}
