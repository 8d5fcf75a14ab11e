using Faas.Gateway.Async.JetStream;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Faas.Gateway.Tests.Async;

/// <summary>A NATS.Net connection of the test's own to the nats-server under the gateway, to look at the queue's streams.</summary>
public sealed class JetStreamInspector : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;

    public JetStreamInspector(string url)
    {
        // A server storing a backlog the test just published answers its API behind it: longer than NATS.Net's 5 s
        // (CI once saw "No API response" while 100,050 calls were still being stored).
        _connection = new NatsConnection(new NatsOpts { Url = url, Name = "test-inspector", RequestTimeout = TimeSpan.FromSeconds(60) });
        _jetStream = new NatsJSContext(_connection);
    }

    public NatsConnection Connection => _connection;

    public const string Queue = QueueStreams.Stream;
    public const string DeadLetters = QueueStreams.DeadLetterStream;

    /// <summary>How many messages the stream holds; none while the gateway has not made it yet (it makes its streams one by one when its connection opens).</summary>
    public async Task<long> CountAsync(string stream)
    {
        try
        {
            return (await _jetStream.GetStreamAsync(stream)).Info.State.Messages;
        }
        catch (NatsJSApiException error) when (error.Error.Code == 404)
        {
            return 0;
        }
    }

    /// <summary>The subjects with messages in the stream that match <paramref name="filter"/>.</summary>
    public async Task<IReadOnlyList<string>> SubjectsAsync(string stream, string filter) =>
        [.. ((await _jetStream.GetStreamAsync(stream, new StreamInfoRequest { SubjectsFilter = filter })).Info.State.Subjects?.Keys ?? []).Order(StringComparer.Ordinal)];

    /// <summary>The last message on <paramref name="subject"/> in the stream, with its headers decoded.</summary>
    public async Task<NatsMsg<byte[]>> LastAsync(string stream, string subject)
    {
        var found = await _jetStream.GetStreamAsync(stream);
        return await found.GetDirectAsync<byte[]>(new StreamMsgGetRequest { LastBySubj = subject });
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
