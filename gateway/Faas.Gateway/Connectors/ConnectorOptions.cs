namespace Faas.Gateway.Connectors;

/// <summary>
/// Event connectors beyond NATS (section <c>Gateway:Connectors</c>); each is on once its broker's URL is set. A URL
/// may carry credentials: it is read from configuration or from a file (a mounted secret) and never logged.
/// </summary>
public sealed class ConnectorOptions
{
    public RabbitMqOptions RabbitMq { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>The URL from <paramref name="file"/> when set (trimmed), else <paramref name="url"/>; null or empty for off.</summary>
    public static string? ResolveUrl(string? url, string? file) =>
        string.IsNullOrEmpty(file) ? url : File.ReadAllText(file).Trim();
}

/// <summary>The RabbitMQ connector (section <c>Gateway:Connectors:RabbitMq</c>).</summary>
public sealed class RabbitMqOptions
{
    /// <summary><c>amqp://USER:PASSWORD@HOST:5672/VHOST</c>; <c>FAAS_RABBITMQ_URL</c> also sets it.</summary>
    public string? Url { get; set; } = Environment.GetEnvironmentVariable("FAAS_RABBITMQ_URL");

    /// <summary>A file holding the URL (a secret); wins over <see cref="Url"/>.</summary>
    public string? UrlFile { get; set; }

    /// <summary>The topic exchange functions' queues are bound to with their topics as routing keys.</summary>
    public string Exchange { get; set; } = "faas";

    /// <summary>Where a message goes once its attempts are spent; a durable queue of the same name keeps them.</summary>
    public string DeadLetterExchange { get; set; } = "faas.dead-letter";

    /// <summary>Messages handed to one function's invocations at once (the channel's prefetch).</summary>
    public ushort Prefetch { get; set; } = 16;
}

/// <summary>The MQTT connector (section <c>Gateway:Connectors:Mqtt</c>).</summary>
public sealed class MqttOptions
{
    /// <summary><c>mqtt://USER:PASSWORD@HOST:1883</c>; <c>FAAS_MQTT_URL</c> also sets it.</summary>
    public string? Url { get; set; } = Environment.GetEnvironmentVariable("FAAS_MQTT_URL");

    /// <summary>A file holding the URL (a secret); wins over <see cref="Url"/>.</summary>
    public string? UrlFile { get; set; }

    /// <summary>The session's client id: the broker keeps its subscriptions and QoS 1 messages while the gateway is away.</summary>
    public string ClientId { get; set; } = "faas-gateway";

    /// <summary>How long the broker keeps the session of a gateway that is gone.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Messages being invoked at once.</summary>
    public int MaxInflight { get; set; } = 16;

    /// <summary>Where a message goes once its attempts are spent: <c>TOPIC/NAMESPACE/FUNCTION</c>.</summary>
    public string DeadLetterTopic { get; set; } = "faas/dead-letter";
}
