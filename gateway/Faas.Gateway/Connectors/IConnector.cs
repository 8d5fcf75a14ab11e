namespace Faas.Gateway.Connectors;

/// <summary>An event connector as health and metrics see it.</summary>
internal interface IConnector
{
    /// <summary><c>nats</c>, <c>rabbitmq</c> or <c>mqtt</c>, as in a topic's prefix.</summary>
    string Name { get; }

    /// <summary>Null while connected; else what is wrong, naming the broker without credentials.</summary>
    string? Problem { get; }
}
