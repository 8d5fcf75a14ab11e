using System.Diagnostics;
using Faas.Gateway.Async;
using Faas.Provider;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Xunit.Abstractions;

namespace Faas.Gateway.Tests.Async.JetStream;

/// <summary>The JetStream queue against a real nats-server, with calls queued straight onto its subjects (no worker takes them).</summary>
public sealed class JetStreamQueueTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_backlog_deeper_than_the_servers_page_of_subjects_is_counted_whole_and_only_the_functions_own()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => (options.NatsUrl, options.RunWorker) = (nats.Url, false));
        var queue = gateway.Services.GetRequiredService<IAsyncQueue>();
        var deep = new FunctionKey("deep", "openfaas-fn");
        await queue.DepthAsync(deep, CancellationToken.None); // the streams exist from here
        await using var inspector = new JetStreamInspector(nats.Url);

        // nats-server lists at most 100,000 subjects a page, and each queued call is a subject of its own.
        const int Calls = 100_050;
        for (var i = 0; i < Calls; i++)
        {
            await inspector.Connection.PublishAsync($"faas.async.openfaas-fn.deep.call-{i}", "x"u8.ToArray());
        }

        await inspector.Connection.PublishAsync("faas.async.openfaas-fn.beside.call-0", "x"u8.ToArray());
        Assert.True(await ProcessTable.EventuallyAsync(async () => await inspector.CountAsync(JetStreamInspector.Queue) == Calls + 1, TimeSpan.FromSeconds(60)));
        var clock = Stopwatch.StartNew();
        var depth = await queue.DepthAsync(deep, CancellationToken.None);
        output.WriteLine($"counted {depth} in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(Calls, depth);
        Assert.Equal(1, await queue.DepthAsync(new FunctionKey("beside", "openfaas-fn"), CancellationToken.None));
        Assert.Equal(0, await queue.DepthAsync(new FunctionKey("empty", "openfaas-fn"), CancellationToken.None));
    }
}
