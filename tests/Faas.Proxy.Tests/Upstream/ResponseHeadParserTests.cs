using System.Text;
using Faas.Proxy.Http1;
using Faas.Proxy.Upstream;

namespace Faas.Proxy.Tests.Upstream;

public sealed class ResponseHeadParserTests
{
    [Fact]
    public void Fields_are_located_in_the_head_as_received_with_their_values_trimmed()
    {
        var head = Parse("HTTP/1.1 200 OK\r\ncontent-type:  text/plain \t\r\nX-Empty:\r\nX-Inner: a  b\r\nContent-Length: 5");

        Assert.Equal(200, head.StatusCode);
        Assert.Equal(
            [("content-type", "text/plain"), ("X-Empty", ""), ("X-Inner", "a  b"), ("Content-Length", "5")],
            Fields(head));
        Assert.Equal(5, head.ContentLength);
        Assert.False(head.IsChunked);
        Assert.False(head.ClosesConnection);
    }

    [Fact]
    public void Chunked_framing_wins_over_a_declared_length()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, Chunked");

        Assert.True(head.IsChunked);
        Assert.Null(head.ContentLength);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive", false)]
    [InlineData("HTTP/1.0 200 OK", true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive, close", true)]
    public void Whether_the_upstream_closes_the_connection_follows_the_version_and_the_connection_header(string text, bool closes) =>
        Assert.Equal(closes, Parse(text).ClosesConnection);

    [Fact]
    public void Fields_the_connection_header_names_are_hop_by_hop_for_this_response_only()
    {
        var head = new ResponseHead();
        ResponseHeadParser.Parse(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop ,, x-other\r\nX-Hop: 1"), head);

        Assert.True(head.IsHopByHop("x-hop"u8));
        Assert.True(head.IsHopByHop("X-OTHER"u8));
        Assert.True(head.IsHopByHop("Keep-Alive"u8));
        Assert.False(head.IsHopByHop("X-Hop-Not"u8));

        ResponseHeadParser.Parse("HTTP/1.1 200 OK\r\nX-Hop: 1"u8, head);
        Assert.False(head.IsHopByHop("X-Hop"u8));
    }

    [Fact]
    public void A_head_parsed_into_a_used_instance_keeps_nothing_of_the_last_one()
    {
        var head = new ResponseHead();
        var large = "HTTP/1.1 200 OK\r\n" + string.Join("\r\n", Enumerable.Range(0, 40).Select(i => $"X-Field-{i}: {new string('v', 100)}"))
            + "\r\nContent-Length: 3\r\nConnection: close";
        ResponseHeadParser.Parse(Encoding.Latin1.GetBytes(large), head);
        Assert.Equal(42, head.FieldCount);

        ResponseHeadParser.Parse("HTTP/1.1 204 No Content\r\nX-Only: 1"u8, head);

        Assert.Equal(204, head.StatusCode);
        Assert.Equal([("X-Only", "1")], Fields(head));
        Assert.Null(head.ContentLength);
        Assert.False(head.ClosesConnection);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad\nX-Injected: 1: v")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: a\rb")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: v")]
    [InlineData("HTTP/1.1 200 OK\r\n: v")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -5")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("HTTP/1.1 2x0 OK")]
    public void A_head_that_could_split_or_misframe_the_response_is_refused(string text) =>
        Assert.Throws<UpstreamProtocolException>(() => Parse(text));

    [Fact]
    public void The_relayed_head_carries_the_fields_as_received_without_framing_hop_by_hop_or_replaced_ones()
    {
        var head = Parse("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=\xe9\r\nConnection: X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
            + "X-Duration-Seconds: 0.1\r\nDate: Tue, 01 Dec 2026 00:00:00 GMT\r\nTransfer-Encoding: chunked\r\nx-kept:  a b ");
        var buffer = new HeadBuffer();

        ResponseHeadWriter.Write(buffer, head, chunked: true, new ExtraHeaders());

        Assert.Equal(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=\xe9\r\nDate: Tue, 01 Dec 2026 00:00:00 GMT\r\nx-kept: a b\r\n"
            + "X-Duration-Seconds: 0.2\r\nTransfer-Encoding: chunked\r\n\r\n",
            Encoding.Latin1.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void The_relayed_head_has_a_date_when_the_upstream_sent_none_and_its_own_length()
    {
        var head = Parse("HTTP/1.1 404 Not Found\r\nContent-Length: 7");
        var buffer = new HeadBuffer();

        ResponseHeadWriter.Write(buffer, head, chunked: false, new ExtraHeaders());

        var text = Encoding.Latin1.GetString(buffer.WrittenSpan);
        Assert.StartsWith("HTTP/1.1 404 Not Found\r\nDate: ", text);
        Assert.EndsWith(" GMT\r\nX-Duration-Seconds: 0.2\r\nContent-Length: 7\r\n\r\n", text);
    }

    private static ResponseHead Parse(string text)
    {
        var head = new ResponseHead();
        ResponseHeadParser.Parse(Encoding.Latin1.GetBytes(text), head);
        return head;
    }

    private static (string, string)[] Fields(ResponseHead head) =>
        [.. Enumerable.Range(0, head.FieldCount).Select(i => (Encoding.Latin1.GetString(head.Name(i)), Encoding.Latin1.GetString(head.Value(i))))];

    private sealed class ExtraHeaders : IResponseHeaderSource
    {
        public bool Drops(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Ascii.EqualsIgnoreCase(name, "X-Duration-Seconds"u8);

        public void WriteHeaders(HeadBuffer head) => head.Append("X-Duration-Seconds: 0.2\r\n"u8);
    }
}
