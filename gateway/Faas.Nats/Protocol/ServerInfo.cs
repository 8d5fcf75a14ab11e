using System.Text.Json.Serialization;

namespace Faas.Nats.Protocol;

/// <summary>The server's INFO: the fields this client uses.</summary>
public sealed record ServerInfo
{
    [JsonPropertyName("server_id")]
    public string ServerId { get; init; } = "";

    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("proto")]
    public int Proto { get; init; }

    [JsonPropertyName("headers")]
    public bool Headers { get; init; }

    [JsonPropertyName("max_payload")]
    public long MaxPayload { get; init; } = 1024 * 1024;

    [JsonPropertyName("auth_required")]
    public bool AuthRequired { get; init; }

    [JsonPropertyName("jetstream")]
    public bool JetStream { get; init; }
}

/// <summary>The client's CONNECT.</summary>
public sealed record ConnectOptions
{
    [JsonPropertyName("verbose")]
    public bool Verbose { get; init; }

    [JsonPropertyName("pedantic")]
    public bool Pedantic { get; init; }

    [JsonPropertyName("tls_required")]
    public bool TlsRequired { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("lang")]
    public string Lang { get; init; } = "csharp";

    [JsonPropertyName("version")]
    public string Version { get; init; } = "1.0.0";

    [JsonPropertyName("protocol")]
    public int Protocol { get; init; } = 1;

    [JsonPropertyName("headers")]
    public bool Headers { get; init; } = true;

    [JsonPropertyName("no_responders")]
    public bool NoResponders { get; init; } = true;

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonPropertyName("pass")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pass { get; init; }

    [JsonPropertyName("auth_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthToken { get; init; }
}
