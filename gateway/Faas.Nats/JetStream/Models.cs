using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream;

/// <summary>A stream's configuration (<c>$JS.API.STREAM.CREATE</c>); durations are nanoseconds, as the API takes them.</summary>
public sealed record StreamConfig
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("subjects")]
    public required List<string> Subjects { get; init; }

    /// <summary><c>limits</c>, <c>interest</c> or <c>workqueue</c>.</summary>
    [JsonPropertyName("retention")]
    public string Retention { get; init; } = "limits";

    /// <summary><c>file</c> (survives a restart of the server) or <c>memory</c>.</summary>
    [JsonPropertyName("storage")]
    public string Storage { get; init; } = "file";

    [JsonPropertyName("num_replicas")]
    public int Replicas { get; init; } = 1;

    [JsonPropertyName("max_msgs")]
    public long MaxMessages { get; init; } = -1;

    [JsonPropertyName("max_bytes")]
    public long MaxBytes { get; init; } = -1;

    [JsonPropertyName("max_age")]
    public long MaxAgeNanoseconds { get; init; }

    [JsonPropertyName("max_msg_size")]
    public int MaxMessageSize { get; init; } = -1;

    [JsonPropertyName("discard")]
    public string Discard { get; init; } = "old";

    /// <summary>The window within which a repeated <c>Nats-Msg-Id</c> is dropped as a duplicate.</summary>
    [JsonPropertyName("duplicate_window")]
    public long DuplicateWindowNanoseconds { get; init; } = 120_000_000_000;

    [JsonPropertyName("allow_direct")]
    public bool AllowDirect { get; init; }
}

/// <summary>A durable pull consumer's configuration.</summary>
public sealed record ConsumerConfig
{
    [JsonPropertyName("durable_name")]
    public required string DurableName { get; init; }

    [JsonPropertyName("deliver_policy")]
    public string DeliverPolicy { get; init; } = "all";

    [JsonPropertyName("ack_policy")]
    public string AckPolicy { get; init; } = "explicit";

    /// <summary>How long a delivered message may go unacknowledged before it is delivered again.</summary>
    [JsonPropertyName("ack_wait")]
    public long AckWaitNanoseconds { get; init; } = 30_000_000_000;

    /// <summary>Deliveries before the server gives up on a message; -1 for no limit.</summary>
    [JsonPropertyName("max_deliver")]
    public long MaxDeliver { get; init; } = -1;

    [JsonPropertyName("filter_subject")]
    public string? FilterSubject { get; init; }

    [JsonPropertyName("replay_policy")]
    public string ReplayPolicy { get; init; } = "instant";

    [JsonPropertyName("max_ack_pending")]
    public long MaxAckPending { get; init; } = 1000;

    [JsonPropertyName("max_waiting")]
    public long MaxWaiting { get; init; } = 512;
}

public sealed record ApiError
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("err_code")]
    public int ErrorCode { get; init; }

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";
}

/// <summary>Any API response: only its error, if it has one.</summary>
public record ApiResponse
{
    [JsonPropertyName("error")]
    public ApiError? Error { get; init; }
}

public sealed record StreamState
{
    [JsonPropertyName("messages")]
    public long Messages { get; init; }

    [JsonPropertyName("first_seq")]
    public long FirstSequence { get; init; }

    [JsonPropertyName("last_seq")]
    public long LastSequence { get; init; }

    /// <summary>Messages per subject, when the request asked for a <c>subjects_filter</c>.</summary>
    [JsonPropertyName("subjects")]
    public Dictionary<string, long>? Subjects { get; init; }
}

public sealed record StreamInfoRequest
{
    [JsonPropertyName("subjects_filter")]
    public string? SubjectsFilter { get; init; }
}

public sealed record LastBySubjectRequest
{
    [JsonPropertyName("last_by_subj")]
    public required string Subject { get; init; }
}

public sealed record StreamInfoResponse : ApiResponse
{
    [JsonPropertyName("config")]
    public StreamConfig? Config { get; init; }

    [JsonPropertyName("state")]
    public StreamState? State { get; init; }
}

public sealed record CreateConsumerRequest
{
    [JsonPropertyName("stream_name")]
    public required string StreamName { get; init; }

    [JsonPropertyName("config")]
    public required ConsumerConfig Config { get; init; }
}

public sealed record ConsumerInfoResponse : ApiResponse
{
    [JsonPropertyName("stream_name")]
    public string StreamName { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("config")]
    public ConsumerConfig? Config { get; init; }

    /// <summary>Messages not yet delivered to the consumer.</summary>
    [JsonPropertyName("num_pending")]
    public long NumPending { get; init; }

    /// <summary>Messages delivered and not yet acknowledged.</summary>
    [JsonPropertyName("num_ack_pending")]
    public long NumAckPending { get; init; }

    [JsonPropertyName("num_redelivered")]
    public long NumRedelivered { get; init; }

    [JsonPropertyName("num_waiting")]
    public long NumWaiting { get; init; }
}

public sealed record PubAckResponse : ApiResponse
{
    [JsonPropertyName("stream")]
    public string Stream { get; init; } = "";

    [JsonPropertyName("seq")]
    public long Sequence { get; init; }

    [JsonPropertyName("duplicate")]
    public bool Duplicate { get; init; }
}

/// <summary>A pull request (<c>$JS.API.CONSUMER.MSG.NEXT</c>): up to <see cref="Batch"/> messages, waiting at most <see cref="ExpiresNanoseconds"/>.</summary>
public sealed record PullRequest
{
    [JsonPropertyName("batch")]
    public int Batch { get; init; } = 1;

    [JsonPropertyName("expires")]
    public long ExpiresNanoseconds { get; init; }

    [JsonPropertyName("no_wait")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NoWait { get; init; }
}

public sealed record SequenceRequest
{
    [JsonPropertyName("seq")]
    public long Sequence { get; init; }
}

public sealed record StoredMessage
{
    [JsonPropertyName("subject")]
    public string Subject { get; init; } = "";

    [JsonPropertyName("seq")]
    public long Sequence { get; init; }

    /// <summary>Base64 of the header block.</summary>
    [JsonPropertyName("hdrs")]
    public string? Headers { get; init; }

    /// <summary>Base64 of the payload.</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }
}

public sealed record StoredMessageResponse : ApiResponse
{
    [JsonPropertyName("message")]
    public StoredMessage? Message { get; init; }
}

public sealed record NakDelay
{
    [JsonPropertyName("delay")]
    public long DelayNanoseconds { get; init; }
}
