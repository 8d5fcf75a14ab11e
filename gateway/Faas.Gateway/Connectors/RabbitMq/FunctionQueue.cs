using Faas.Provider;
using Faas.Provider.Triggers;
using RabbitMQ.Client;

namespace Faas.Gateway.Connectors.RabbitMq;

/// <summary>
/// One function's durable queue (<c>faas.NAMESPACE.NAME</c>), its bindings (the function's topics as routing keys)
/// and the channel its consumer runs on, with the channel's prefetch as the limit on invocations at once.
/// </summary>
internal sealed class FunctionQueue(FunctionKey function, IChannel channel)
{
    public FunctionKey Function { get; } = function;

    public string Name { get; } = NameOf(function);

    public IChannel Channel { get; } = channel;

    /// <summary>The routing keys bound now: replaced, never changed in place, as deliveries read it while the refresh binds.</summary>
    private volatile string[] _keys = [];

    public IReadOnlyList<string> Keys => _keys;

    public volatile string? ReplyTopic;

    public void Bound(string key) => _keys = [.. _keys, key];

    public void Unbound(string key) => _keys = [.. _keys.Where(bound => bound != key)];

    public static string NameOf(FunctionKey function) => $"faas.{function.Namespace}.{function.Name}";

    /// <summary>The bound key a routing key matched, as a bounded metric label (never the publisher's own key).</summary>
    public string PatternFor(string routingKey) =>
        _keys.FirstOrDefault(key => TopicMatch.Amqp(key, routingKey)) ?? UnboundLabel;

    /// <summary>The label of a message delivered through a binding the function no longer has (one removed as it arrived).</summary>
    public const string UnboundLabel = "(unbound)";
}
