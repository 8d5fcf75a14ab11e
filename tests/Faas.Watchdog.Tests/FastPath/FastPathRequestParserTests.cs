using System.Text;
using Faas.Watchdog.FastPath;

namespace Faas.Watchdog.Tests.FastPath;

public class FastPathRequestParserTests
{
    private static readonly FastPathRequestParser Parser = new("127.0.0.1", 8082, "/base", keepTarget: true);

    private static (RequestRoute Route, FastPathRequest Request) Parse(string input)
    {
        var request = new FastPathRequest();
        return (Parser.Parse(Encoding.Latin1.GetBytes(input), request), request);
    }

    private static string Upstream(FastPathRequest request) => Encoding.Latin1.GetString(request.Upstream.WrittenSpan);

    [Fact]
    public void A_get_is_encoded_for_the_upstream_behind_its_base_path_with_the_upstreams_host()
    {
        var (route, request) = Parse("GET /fn/x?a=1&b=%20 HTTP/1.1\r\nHost: client.example:8080\r\nAccept: */*\r\nX-Custom:  kept as sent \r\n\r\n");

        Assert.Equal(RequestRoute.Invocation, route);
        Assert.Equal("GET /base/fn/x?a=1&b=%20 HTTP/1.1\r\nHost: 127.0.0.1:8082\r\nAccept: */*\r\nX-Custom:  kept as sent \r\n\r\n", Upstream(request));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/fn/x?a=1&b=%20", request.Target);
        Assert.Null(request.Timeout);
    }

    [Fact]
    public void A_body_goes_with_its_content_length_and_the_request_ends_where_the_body_does()
    {
        const string first = "POST /echo HTTP/1.1\r\nHost: h\r\ncontent-length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
        var (route, request) = Parse(first + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(RequestRoute.Invocation, route);
        Assert.Equal(first.Length, request.Length);
        Assert.Equal("POST /base/echo HTTP/1.1\r\nHost: 127.0.0.1:8082\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", Upstream(request));
    }

    [Fact]
    public void Hop_by_hop_fields_and_a_keep_alive_connection_field_are_not_forwarded()
    {
        var (route, request) = Parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: x\r\nX-Kept: 1\r\n\r\n");

        Assert.Equal(RequestRoute.Invocation, route);
        Assert.Equal("GET /base/ HTTP/1.1\r\nHost: 127.0.0.1:8082\r\nX-Kept: 1\r\n\r\n", Upstream(request));
    }

    [Fact]
    public void One_x_timeout_is_kept_for_the_deadline_and_forwarded_two_go_to_kestrel()
    {
        var (route, once) = Parse("GET / HTTP/1.1\r\nHost: h\r\nX-Timeout: 2s\r\n\r\n");
        Assert.Equal(RequestRoute.Invocation, route);
        Assert.Equal("2s", once.Timeout);
        Assert.Contains("X-Timeout: 2s\r\n", Upstream(once), StringComparison.Ordinal);
        Assert.Equal(RequestRoute.Kestrel, Parse("GET / HTTP/1.1\r\nHost: h\r\nX-Timeout: 2s\r\nx-timeout: 3s\r\n\r\n").Route);
    }

    [Theory]
    [InlineData("GET /_/health HTTP/1.1\r\nHost: h\r\n\r\n", nameof(RequestRoute.Health))]
    [InlineData("GET /_/health?full=1 HTTP/1.1\r\nHost: h\r\n\r\n", nameof(RequestRoute.Health))]
    [InlineData("POST /_/health HTTP/1.1\r\nHost: h\r\n\r\n", nameof(RequestRoute.Health))]
    [InlineData("GET /_/ready HTTP/1.1\r\nHost: h\r\n\r\n", nameof(RequestRoute.Ready))]
    [InlineData("GET /_/healthz HTTP/1.1\r\nHost: h\r\n\r\n", nameof(RequestRoute.Invocation))]
    public void The_watchdogs_own_paths_are_recognised(string input, string expected) =>
        Assert.Equal(expected, Parse(input).Route.ToString());

    [Theory]
    [InlineData("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", "HEAD")]
    [InlineData("TRACE / HTTP/1.1\r\nHost: h\r\n\r\n", "another method")]
    [InlineData("GET / HTTP/1.0\r\nHost: h\r\n\r\n", "HTTP/1.0")]
    [InlineData("GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "absolute-form target")]
    [InlineData("GET /_/%68ealth HTTP/1.1\r\nHost: h\r\n\r\n", "percent-encoding Kestrel decodes before routing")]
    [InlineData("GET /x/../_/health HTTP/1.1\r\nHost: h\r\n\r\n", "dot segments Kestrel removes before routing")]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "no Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Hosts")]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "an invalid Host")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "a chunked body")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", "Expect")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "an upgrade")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "Connection: close")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", "two Content-Lengths")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", "a negative Content-Length")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", "a space in a field name")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n folded: x\r\n\r\n", "obs-fold")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\u00e9\r\n\r\n", "a non-ASCII field value")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n", "an unfinished head")]
    public void Anything_else_is_left_to_Kestrel(string input, string because) =>
        Assert.True(Parse(input).Route == RequestRoute.Kestrel, because);

    [Fact]
    public void A_complete_head_whose_small_body_is_still_arriving_is_waited_for()
    {
        Assert.Equal(RequestRoute.Incomplete, Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhalf").Route);
    }

    [Fact]
    public void A_body_larger_than_the_fast_path_holds_is_streamed_by_Kestrel()
    {
        var input = $"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: {FastPathRequestParser.MaxRequestSize}\r\n\r\n";
        Assert.Equal(RequestRoute.Kestrel, Parse(input).Route);
    }
}
