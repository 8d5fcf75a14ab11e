using System.Text;
using Faas.Nats.JetStream;
using Faas.Testing;

namespace Faas.Nats.Tests.JetStream;

public class JetStreamContextTests
{
    private static StreamConfig Stream(string name = "JOBS") => new() { Name = name, Subjects = [$"{name.ToLowerInvariant()}.>"], Retention = "workqueue" };

    private static ConsumerConfig Consumer(TimeSpan? ackWait = null) =>
        new() { DurableName = "workers", AckWaitNanoseconds = (long)(ackWait ?? TimeSpan.FromSeconds(30)).TotalMilliseconds * 1_000_000 };

    private static async Task<(NatsServerProcess Server, NatsConnection Connection, JetStreamContext JetStream)> StartAsync()
    {
        var server = await NatsServerProcess.StartAsync();
        var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url, ReconnectDelay = TimeSpan.FromMilliseconds(50) });
        return (server, connection, new JetStreamContext(connection));
    }

    [Fact]
    public async Task Streams_are_created_then_updated_and_consumers_report_their_depth()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;

        var created = await js.CreateOrUpdateStreamAsync(Stream());
        var updated = await js.CreateOrUpdateStreamAsync(Stream() with { MaxMessages = 1000 });
        await js.CreateOrUpdateConsumerAsync("JOBS", Consumer());
        for (var i = 0; i < 5; i++)
        {
            await js.PublishAsync("jobs.a", Encoding.UTF8.GetBytes($"job {i}"));
        }

        var fetched = await js.FetchAsync("JOBS", "workers", 2, TimeSpan.FromSeconds(1));
        var info = await js.GetConsumerAsync("JOBS", "workers");

        Assert.Equal("file", created.Config!.Storage);
        Assert.Equal(1000, updated.Config!.MaxMessages);
        Assert.Equal(2, fetched.Count);
        Assert.Equal(3, info.NumPending);
        Assert.Equal(2, info.NumAckPending);
        var error = await Assert.ThrowsAsync<JetStreamException>(() => js.GetConsumerAsync("JOBS", "nobody"));
        Assert.Equal(404, error.Error.Code);
    }

    [Fact]
    public async Task A_repeated_message_id_is_stored_once()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await js.CreateOrUpdateStreamAsync(Stream());

        var first = await js.PublishAsync("jobs.a", "once"u8.ToArray(), messageId: "call-1");
        var again = await js.PublishAsync("jobs.a", "once"u8.ToArray(), messageId: "call-1");
        var stream = await js.GetStreamAsync("JOBS");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(1, stream.State!.Messages);
        await Assert.ThrowsAsync<NatsException>(() => js.PublishAsync("nowhere.else", "x"u8.ToArray()));
    }

    [Fact]
    public async Task Ack_nak_with_delay_in_progress_and_term_behave_as_the_server_defines()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await js.CreateOrUpdateStreamAsync(Stream());
        await js.CreateOrUpdateConsumerAsync("JOBS", Consumer(TimeSpan.FromSeconds(3)));
        foreach (var name in new[] { "ack", "nak", "wpi", "term" })
        {
            await js.PublishAsync("jobs." + name, Encoding.UTF8.GetBytes(name), headers: new NatsHeaders().Add("X-Kind", name));
        }

        var first = await js.FetchAsync("JOBS", "workers", 4, TimeSpan.FromSeconds(1));
        var byKind = first.ToDictionary(m => m.Headers!["X-Kind"]!);
        await byKind["ack"].AckAsync();
        await byKind["nak"].NakAsync(TimeSpan.FromMilliseconds(300));
        await byKind["term"].TermAsync();
        await byKind["wpi"].InProgressAsync();
        await Task.Delay(1500);
        await byKind["wpi"].InProgressAsync();
        await Task.Delay(1700);

        // 3.2 s after delivery: the nak'd message is back (after its 300 ms delay); the in-progress one is not, though
        // its 3 s ack wait has passed since it was delivered (1.7 s since its last progress report, a wide margin on a
        // loaded machine); acked and terminated ones never return.
        var second = await js.FetchAsync("JOBS", "workers", 4, TimeSpan.FromMilliseconds(300));
        await byKind["wpi"].AckAsync();

        Assert.Equal(4, first.Count);
        Assert.All(first, message => Assert.Equal(1, message.Delivered));
        var redelivered = Assert.Single(second);
        Assert.Equal("nak", Encoding.UTF8.GetString(redelivered.Data.Span));
        Assert.Equal(2, redelivered.Delivered);
        Assert.Equal(byKind["nak"].StreamSequence, redelivered.StreamSequence);
        Assert.Equal("JOBS", redelivered.Stream);
        Assert.Equal("workers", redelivered.Consumer);
    }

    [Fact]
    public async Task An_unacknowledged_message_is_delivered_again_after_the_ack_wait()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await js.CreateOrUpdateStreamAsync(Stream());
        await js.CreateOrUpdateConsumerAsync("JOBS", Consumer(TimeSpan.FromMilliseconds(500)));
        await js.PublishAsync("jobs.a", "forgotten"u8.ToArray());

        var first = Assert.Single(await js.FetchAsync("JOBS", "workers", 1, TimeSpan.FromSeconds(1)));
        var none = await js.FetchAsync("JOBS", "workers", 1, TimeSpan.FromMilliseconds(100));
        await Task.Delay(600);
        var again = Assert.Single(await js.FetchAsync("JOBS", "workers", 1, TimeSpan.FromSeconds(1)));

        Assert.Empty(none);
        Assert.Equal(first.StreamSequence, again.StreamSequence);
        Assert.Equal(2, again.Delivered);
    }

    [Fact]
    public async Task File_storage_keeps_messages_across_a_server_restart_and_deleted_ones_are_not_delivered()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await js.CreateOrUpdateStreamAsync(Stream());
        await js.CreateOrUpdateConsumerAsync("JOBS", Consumer());
        var stored = await js.PublishAsync("jobs.a", "durable"u8.ToArray(), headers: new NatsHeaders().Add("X-Call-Id", "c1"));

        var cancelled = await js.PublishAsync("jobs.a", "cancelled"u8.ToArray());

        await server.RestartAsync();
        await js.DeleteMessageAsync("JOBS", cancelled.Sequence);
        var (headers, data) = await js.GetMessageAsync("JOBS", stored.Sequence);
        var fetched = Assert.Single(await js.FetchAsync("JOBS", "workers", 5, TimeSpan.FromSeconds(1)));
        await fetched.AckAsync();

        Assert.Equal("durable", Encoding.UTF8.GetString(data));
        Assert.Equal("c1", headers!["X-Call-Id"]);
        Assert.Equal("durable", Encoding.UTF8.GetString(fetched.Data.Span));
    }
}
