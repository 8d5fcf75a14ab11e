namespace Faas.Nats;

/// <summary>Where and how to connect. The URL may carry credentials: <c>nats://user:pass@127.0.0.1:4222</c> or <c>nats://token@host:port</c>.</summary>
public sealed record NatsOptions
{
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    public string? User { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    /// <summary>The client name the server shows in its connection list.</summary>
    public string Name { get; init; } = "faas";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request (including every JetStream API call) waits for its reply.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before reconnecting; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);
}
