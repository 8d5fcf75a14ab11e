using System.Text.Json.Serialization;
using Faas.Nats.JetStream;

namespace Faas.Nats.Protocol;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(ConnectOptions))]
[JsonSerializable(typeof(StreamConfig))]
[JsonSerializable(typeof(StreamInfoResponse))]
[JsonSerializable(typeof(CreateConsumerRequest))]
[JsonSerializable(typeof(ConsumerInfoResponse))]
[JsonSerializable(typeof(PubAckResponse))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(SequenceRequest))]
[JsonSerializable(typeof(ApiResponse))]
[JsonSerializable(typeof(StoredMessageResponse))]
[JsonSerializable(typeof(NakDelay))]
[JsonSerializable(typeof(StreamInfoRequest))]
[JsonSerializable(typeof(LastBySubjectRequest))]
internal sealed partial class NatsJson : JsonSerializerContext;
