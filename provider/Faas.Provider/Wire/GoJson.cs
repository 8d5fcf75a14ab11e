using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>
/// Strings as Go's <c>encoding/json</c> writes them: only <c>"</c>, <c>\</c>, control characters, <c>&lt;</c>,
/// <c>&gt;</c>, <c>&amp;</c> and U+2028/U+2029 are escaped (lower-case <c>\u00XX</c>), everything else as it is. OpenFaaS
/// clients compare the strings they get, and .NET's default escapes far more (<c>+</c> as <c>\u002B</c>).
/// </summary>
internal sealed class GoJsonEncoder : JavaScriptEncoder
{
    public static GoJsonEncoder Instance { get; } = new();

    private GoJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var encoded = !WillEncode(unicodeScalar)
            ? char.ConvertFromUtf32(unicodeScalar)
            : unicodeScalar switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + unicodeScalar.ToString("x4", CultureInfo.InvariantCulture),
            };
        if (encoded.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        encoded.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = encoded.Length;
        return true;
    }
}

/// <summary>Times as Go writes a <c>time.Time</c>: RFC 3339 in UTC with <c>Z</c>, fractional seconds without trailing zeros.</summary>
internal sealed class GoTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>Formatted without a string: every line a replica logs is written with one (see <see cref="LogMessage.WriteTo"/>).</summary>
    public static void WriteValue(Utf8JsonWriter writer, DateTimeOffset value)
    {
        // "O" of a UTC time is yyyy-MM-ddTHH:mm:ss.fffffffZ: seven digits always, where Go drops trailing zeros (and the point with them).
        Span<byte> text = stackalloc byte[32];
        value.UtcDateTime.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        var fraction = text[..(length - 1)].TrimEnd((byte)'0');
        if (fraction[^1] == (byte)'.')
        {
            fraction = fraction[..^1];
        }

        text[fraction.Length] = (byte)'Z';
        writer.WriteStringValue(text[..(fraction.Length + 1)]);
    }
}
