using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Faas.Proxy.FastPath;

namespace Faas.Proxy.Tests.FastPath;

/// <summary>A fast-path connection's output straight onto its socket, over a real loopback connection.</summary>
public sealed class SocketOutputTests : IDisposable
{
    private readonly Socket _client;
    private readonly Socket _server;

    public SocketOutputTests()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
    }

    [Fact]
    public async Task Written_bytes_reach_the_peer_at_each_flush_in_the_order_written()
    {
        var output = new SocketOutput(_server);

        Write(output, "HTTP/1.1 200 OK\r\n");
        Write(output, "Content-Length: 2\r\n\r\nOK");
        var first = await output.FlushAsync();
        Write(output, "second");
        var second = await output.FlushAsync();

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKsecond", await ReceiveAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKsecond".Length));
    }

    [Fact]
    public async Task A_body_larger_than_the_first_buffer_keeps_every_byte_written_before_it_grew()
    {
        var output = new SocketOutput(_server);
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
        var body = new string('x', 99_999) + "!";

        Write(output, head);
        var span = output.GetSpan(body.Length);
        Assert.True(span.Length >= body.Length);
        output.Advance(Encoding.ASCII.GetBytes(body, span));
        var receiving = ReceiveAsync(head.Length + body.Length);
        await output.FlushAsync();

        Assert.Equal(head + body, await receiving);
    }

    [Fact]
    public async Task A_flush_after_the_socket_closed_reports_the_client_gone_instead_of_throwing()
    {
        var output = new SocketOutput(_server);
        _server.Dispose();

        Write(output, "HTTP/1.1 200 OK\r\n\r\n");
        var flushed = await output.FlushAsync();

        Assert.True(flushed.IsCompleted);
        Write(output, "more");
        Assert.True((await output.FlushAsync()).IsCompleted);
    }

    [Fact]
    public async Task A_flush_cancelled_while_the_peer_reads_nothing_throws_and_sends_none_of_it_again()
    {
        var output = new SocketOutput(_server);
        _server.SendBufferSize = 4096;
        _client.ReceiveBufferSize = 4096;
        var stalled = new byte[8 * 1024 * 1024];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        stalled.CopyTo(output.GetSpan(stalled.Length));
        output.Advance(stalled.Length);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await output.FlushAsync(deadline.Token));

        var nothing = await output.FlushAsync();
        Assert.False(nothing.IsCompleted);

        // What the cancelled send got out is all the peer ever sees: the rest is not sent by a later flush.
        _server.Shutdown(SocketShutdown.Send);
        var buffer = new byte[64 * 1024];
        long received = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await _client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received += read;
        }

        Assert.InRange(received, 0, stalled.Length - 1);
    }

    [Fact]
    public void Advancing_past_the_memory_handed_out_is_refused()
    {
        var output = new SocketOutput(_server);

        Assert.Throws<ArgumentOutOfRangeException>(() => output.Advance(1));
        var available = output.GetSpan(10).Length;
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Advance(available + 1));
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private static void Write(SocketOutput output, string text) => output.Write(Encoding.ASCII.GetBytes(text));

    private async Task<string> ReceiveAsync(int length)
    {
        var received = new byte[length];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < length)
        {
            var read = await _client.ReceiveAsync(received.AsMemory(total), SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            total += read;
        }

        return Encoding.ASCII.GetString(received);
    }
}
