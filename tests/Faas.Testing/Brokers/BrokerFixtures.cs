using Faas.Harness.Brokers;
using Xunit;

namespace Faas.Testing.Brokers;

/// <summary>One RabbitMQ server for a test class (it takes seconds to start), stopped by PID when the class is done.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public RabbitMqServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RabbitMqServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One Mosquitto broker for a test class, stopped by PID when the class is done.</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public MosquittoProcess Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoProcess.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
