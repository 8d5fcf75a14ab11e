namespace Faas.Gateway.Connectors.Mqtt;

/// <summary>What the connector keeps of a received message.</summary>
internal sealed record ReceivedMessage(
    string Topic, byte[] Payload, bool Dup, string? ResponseTopic, byte[]? CorrelationData, IReadOnlyList<KeyValuePair<string, string>> UserProperties, IReadOnlyList<uint> SubscriptionIds);
