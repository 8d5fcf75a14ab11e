using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>What a test client receives on one topic; and how the MQTT tests publish and wait for the gateway's log.</summary>
internal sealed class MqttListener
{
    public ConcurrentQueue<(byte[] Payload, IReadOnlyList<MQTTnet.Packets.MqttUserProperty>? UserProperties)> Received { get; } = new();

    public IEnumerable<(byte[] Payload, IReadOnlyList<MQTTnet.Packets.MqttUserProperty>? UserProperties)> Messages => Received;

    public static async Task<MqttListener> SubscribeAsync(IMqttClient client, string topic)
    {
        var listener = new MqttListener();
        client.ApplicationMessageReceivedAsync += received =>
        {
            if (received.ApplicationMessage.Topic == topic)
            {
                listener.Received.Enqueue((System.Buffers.BuffersExtensions.ToArray(received.ApplicationMessage.Payload), received.ApplicationMessage.UserProperties?.ToList()));
            }

            return Task.CompletedTask;
        };
        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        return listener;
    }

    public static async Task PublishAsync(IMqttClient client, string topic, string body, params (string Name, string Value)[] properties)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(body).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        foreach (var (name, value) in properties)
        {
            message.WithUserProperty(name, Encoding.UTF8.GetBytes(value).AsMemory());
        }

        await client.PublishAsync(message.Build());
    }

    /// <summary>Whether the gateway logs a line ending with <paramref name="text"/> within 20 s.</summary>
    public static Task<bool> LoggedAsync(GatewayProcess gateway, string text) =>
        ProcessTable.EventuallyAsync(() => gateway.Output.Split('\n').Any(line => line.TrimEnd().EndsWith(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

    public Task<bool> WaitForCountAsync(int count, TimeSpan timeout) => ProcessTable.EventuallyAsync(() => Received.Count >= count, timeout);

    public List<string> Bodies() => [.. Received.Select(message => Encoding.UTF8.GetString(message.Payload))];
}
