using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Faas.Gateway.Connectors.RabbitMq;

/// <summary>What the connector reads from a delivered message's properties.</summary>
internal static class DeliveryProperties
{
    /// <summary>How often the broker delivered the message before (a quorum queue's <c>x-delivery-count</c>).</summary>
    public static long DeliveryCount(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue("x-delivery-count", out var count) == true && count is IConvertible number ? number.ToInt64(CultureInfo.InvariantCulture) : 0;

    /// <summary>The message's id, correlation id, type and text headers, for <see cref="MessageHeaders"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Headers(IReadOnlyBasicProperties properties)
    {
        if (properties.MessageId is { } id)
        {
            yield return new("Message-Id", id);
        }

        if (properties.CorrelationId is { } correlation)
        {
            yield return new("Correlation-Id", correlation);
        }

        if (properties.Type is { } type)
        {
            yield return new("Message-Type", type);
        }

        foreach (var (name, value) in properties.Headers ?? new Dictionary<string, object?>())
        {
            var text = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string or IFormattable => Convert.ToString(value, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                yield return new(name, text);
            }
        }
    }
}
