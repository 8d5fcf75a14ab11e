using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>logs.Message</c>: one line of a function's output, one JSON object per line on the wire.</summary>
public sealed record LogMessage
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Namespace { get; set; } = "";

    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Instance { get; set; } = "";

    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset Timestamp { get; set; }

    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Text { get; set; } = "";

    private static readonly JsonEncodedText NameProperty = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText NamespaceProperty = JsonEncodedText.Encode("namespace");
    private static readonly JsonEncodedText InstanceProperty = JsonEncodedText.Encode("instance");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText TextProperty = JsonEncodedText.Encode("text");

    /// <summary>
    /// This line as <see cref="ProviderJson.Default"/> writes it, byte for byte, without the serializer: a replica's
    /// every line is written so (at the watchdog's default level, a line per request), and the serializer's general
    /// path costs the native gateway some 4,000 instructions a line.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(NameProperty, Name);
        writer.WriteString(NamespaceProperty, Namespace);
        writer.WriteString(InstanceProperty, Instance);
        writer.WritePropertyName(TimestampProperty);
        GoTimeConverter.WriteValue(writer, Timestamp);
        writer.WriteString(TextProperty, Text);
        writer.WriteEndObject();
        writer.Flush();
    }
}
