using System.Text.Json.Serialization;

namespace Faas.Gateway.Async;

/// <summary>An async call that was given up on, as <c>GET /system/dead-letters</c> lists it (no body, no headers: they may hold secrets).</summary>
internal sealed record DeadLetter
{
    /// <summary>The queue's id for it (JetStream: its sequence in the dead-letter stream), for a re-drive.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("callId")]
    public string CallId { get; init; } = "";

    [JsonPropertyName("reason")]
    public string Reason { get; init; } = "";

    [JsonPropertyName("attempts")]
    public long Attempts { get; init; }

    [JsonPropertyName("method")]
    public string Method { get; init; } = "";

    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>When it was accepted, in Unix milliseconds.</summary>
    [JsonPropertyName("acceptedAt")]
    public long AcceptedAt { get; init; }

    /// <summary>When it was dead-lettered, in Unix milliseconds.</summary>
    [JsonPropertyName("deadAt")]
    public long DeadAt { get; init; }

    [JsonPropertyName("bodyBytes")]
    public long BodyBytes { get; init; }

    /// <summary>Why it cannot be sent again, or null if it can.</summary>
    [JsonPropertyName("notRedrivable")]
    public string? NotRedrivable { get; init; }
}

/// <summary>What became of a re-drive.</summary>
internal enum RedriveOutcome
{
    /// <summary>Queued again under its call id, and gone from the dead letters.</summary>
    Queued,

    NotFound,

    /// <summary>It holds the function's answer (its callback failed) or lost its body: it cannot be sent again.</summary>
    NotRedrivable,
}

/// <summary>Why some dead letters cannot be sent again, in the words every queue uses.</summary>
internal static class DeadLetters
{
    public const string AnswerKept = "the function answered and its callback failed: the dead letter keeps the answer, not the request";

    public const string BodyDropped = "the request body was too large to keep with the dead letter";
}
