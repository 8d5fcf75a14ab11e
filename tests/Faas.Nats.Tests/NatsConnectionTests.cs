using System.Text;
using Faas.Testing;

namespace Faas.Nats.Tests;

public class NatsConnectionTests
{
    private static async Task<NatsMessage> NextAsync(NatsSubscription subscription) =>
        await subscription.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Publish_reaches_subscribers_with_headers_and_reply_subject()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var subscription = await connection.SubscribeAsync("orders.*");
        await connection.FlushAsync();

        await connection.PublishAsync("orders.new", "plain"u8.ToArray());
        await connection.PublishAsync("orders.paid", "with headers"u8.ToArray(), new NatsHeaders().Add("X-Id", "42"), replyTo: "answers");
        var plain = await NextAsync(subscription);
        var headed = await NextAsync(subscription);

        Assert.Equal(("orders.new", "plain", (string?)null), (plain.Subject, Encoding.UTF8.GetString(plain.Data.Span), plain.ReplyTo));
        Assert.Null(plain.Headers);
        Assert.Equal(("orders.paid", "with headers", "answers"), (headed.Subject, Encoding.UTF8.GetString(headed.Data.Span), headed.ReplyTo));
        Assert.Equal("42", headed.Headers!["X-Id"]);
        Assert.True(connection.Info.JetStream);
    }

    [Fact]
    public async Task A_queue_group_delivers_each_message_to_one_member()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var first = await connection.SubscribeAsync("work", "workers");
        await using var second = await connection.SubscribeAsync("work", "workers");
        await connection.FlushAsync();

        for (var i = 0; i < 100; i++)
        {
            await connection.PublishAsync("work", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await connection.FlushAsync();
        await Task.Delay(200);
        var received = first.Messages.Count + second.Messages.Count;

        Assert.Equal(100, received);
        Assert.True(first.Messages.Count > 0 && second.Messages.Count > 0, $"{first.Messages.Count} and {second.Messages.Count}");
    }

    [Fact]
    public async Task Requests_get_replies_and_no_responders_is_an_error()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var service = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var client = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var subscription = await service.SubscribeAsync("greet");
        await service.FlushAsync();
        var responder = Task.Run(async () =>
        {
            var request = await NextAsync(subscription);
            await service.PublishAsync(request.ReplyTo!, Encoding.UTF8.GetBytes("hello " + Encoding.UTF8.GetString(request.Data.Span)));
        });

        var reply = await client.RequestAsync("greet", "nats"u8.ToArray());
        await responder;

        Assert.Equal("hello nats", Encoding.UTF8.GetString(reply.Data.Span));
        await Assert.ThrowsAsync<NatsNoRespondersException>(() => client.RequestAsync("nobody.home", "?"u8.ToArray()));
    }

    [Fact]
    public async Task Payloads_up_to_max_payload_pass_and_larger_are_refused_clearly()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var subscription = await connection.SubscribeAsync("big");
        await connection.FlushAsync();
        var large = new byte[connection.Info.MaxPayload - 100];
        Random.Shared.NextBytes(large);

        await connection.PublishAsync("big", large, new NatsHeaders().Add("K", "v"));
        var received = await NextAsync(subscription);
        var error = await Assert.ThrowsAsync<NatsException>(() => connection.PublishAsync("big", new byte[connection.Info.MaxPayload + 1]));

        Assert.Equal(large, received.Data.ToArray());
        Assert.Equal(1024 * 1024, connection.Info.MaxPayload);
        Assert.Contains($"exceeds the server's max_payload of {connection.Info.MaxPayload} bytes", error.Message);
    }

    [Fact]
    public async Task User_password_and_token_auth_are_sent_and_refusals_are_clear()
    {
        await using var withUser = await NatsServerProcess.StartAsync("--user", "faas", "--pass", "secret");
        await using var withToken = await NatsServerProcess.StartAsync("--auth", "s3cr3t");

        await using var byOptions = await NatsConnection.ConnectAsync(new NatsOptions { Url = withUser.Url, User = "faas", Password = "secret" });
        await using var byUrl = await NatsConnection.ConnectAsync(new NatsOptions { Url = $"nats://faas:secret@127.0.0.1:{withUser.Port}" });
        await using var byToken = await NatsConnection.ConnectAsync(new NatsOptions { Url = withToken.Url, Token = "s3cr3t" });
        var refused = await Assert.ThrowsAsync<NatsException>(() => NatsConnection.ConnectAsync(new NatsOptions { Url = withUser.Url, User = "faas", Password = "wrong" }));

        await byOptions.FlushAsync();
        await byUrl.FlushAsync();
        await byToken.FlushAsync();
        Assert.Contains("Authorization Violation", refused.Message);
    }

    [Fact]
    public async Task After_a_server_restart_the_connection_returns_and_subscriptions_still_receive()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url, ReconnectDelay = TimeSpan.FromMilliseconds(50) });
        await using var subscription = await connection.SubscribeAsync("events");
        await connection.FlushAsync();

        await server.RestartAsync();
        await connection.PublishAsync("events", "after restart"u8.ToArray());
        var received = await NextAsync(subscription);

        Assert.Equal("after restart", Encoding.UTF8.GetString(received.Data.Span));
        Assert.True(connection.Reconnects >= 1);
    }

    [Fact]
    public async Task Dispose_flushes_what_was_published()
    {
        await using var server = await NatsServerProcess.StartAsync();
        await using var receiver = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        await using var subscription = await receiver.SubscribeAsync("last.words");
        await receiver.FlushAsync();

        var sender = await NatsConnection.ConnectAsync(new NatsOptions { Url = server.Url });
        for (var i = 0; i < 1000; i++)
        {
            await sender.PublishAsync("last.words", "bye"u8.ToArray());
        }

        await sender.DisposeAsync();
        await Task.Delay(300);

        Assert.Equal(1000, subscription.Messages.Count);
    }
}
