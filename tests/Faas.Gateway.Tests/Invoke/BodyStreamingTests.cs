using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Faas.Gateway.Tests.Invoke;

/// <summary>Bodies through the whole path (client → gateway → watchdog in http mode → function) without buffering.</summary>
public class BodyStreamingTests
{
    [Fact]
    public async Task A_200_MB_upload_passes_with_flat_memory()
    {
        // The function's timeout covers the upload too: give a loaded CI machine time to move 200 MB through three hops.
        await using var gateway = await GatewayFixture.StartAsync(options => options.UpstreamTimeout = TimeSpan.FromSeconds(120));
        using var _ = await gateway.DeployHttpAsync("counter");
        await gateway.WaitForAvailableAsync("counter");
        const long size = 200L << 20;

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/counter/size", new StreamContent(UnknownLengthStream.Pattern(size)));
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        Assert.True(peak - baseline < 64L << 20, $"managed memory grew by {(peak - baseline) >> 20} MB while 200 MB passed through");
    }

    [Fact]
    public async Task Server_sent_events_arrive_as_they_are_sent()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployHttpAsync("events");
        await gateway.WaitForAvailableAsync("events");

        var clock = Stopwatch.StartNew();
        using var response = await TestHttp.Client.GetAsync(gateway.Url + "/function/events/sse?count=3&interval=700", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        var firstAt = clock.Elapsed;
        var rest = await reader.ReadToEndAsync();
        var allAt = clock.Elapsed;

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("data: event 0", first);
        Assert.Contains("data: event 2", rest);
        Assert.True(allAt - firstAt > TimeSpan.FromSeconds(1), $"the first event came at {firstAt}, the end at {allAt}: it was buffered");
    }

    [Fact]
    public async Task WebSockets_pass_through_to_the_function()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployHttpAsync("socket");
        await gateway.WaitForAvailableAsync("socket");

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(gateway.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/function/socket/ws"), CancellationToken.None);
        var buffer = new byte[256];
        var replies = new List<string>();
        foreach (var message in new[] { "first", "second" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            replies.Add(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(["first", "second"], replies);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }
}
