using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Provider.Kubernetes.Api;

/// <summary>Kubernetes' IntOrString (<c>maxSurge: 1</c> or <c>maxSurge: "25%"</c>, a port by number or name).</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString(int? Number, string? Text)
{
    public static implicit operator IntOrString(int number) => new(number, null);

    public static implicit operator IntOrString(string text) => new(null, text);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Text ?? "";
}

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? new IntOrString(reader.GetInt32(), null) : new IntOrString(null, reader.GetString());

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.Number is int number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}
