using System.Buffers;
using System.Text;
using System.Text.Json;
using Faas.Provider.Wire;

namespace Faas.Provider.Tests.Wire;

public class LogMessageTests
{
    /// <summary>The hand-written line must stay the serializer's: the function log is read back with it.</summary>
    [Fact]
    public void A_line_is_written_byte_for_byte_as_the_serializer_writes_it_and_reads_back_the_same()
    {
        var at = new DateTimeOffset(2026, 12, 3, 17, 4, 5, TimeSpan.FromHours(2));
        LogMessage[] messages =
        [
            new() { Name = "echo", Namespace = "openfaas-fn", Instance = "echo-1a2b", Timestamp = at.AddTicks(1_234_500), Text = "GET / - 200 - ContentLength: 2 (0.0004s)" },
            new() { Name = "a", Namespace = "b", Instance = "c", Timestamp = at, Text = "quote \" backslash \\ tab \t <b>&amp;</b> 'single' +plus" },
            new() { Name = "a", Namespace = "b", Instance = "c", Timestamp = at.AddTicks(1), Text = "caf\u00e9 \u2028 \u0001 \ud83d\ude00" },
            new() { Timestamp = default, Text = "" },
        ];

        foreach (var message in messages)
        {
            var handWritten = Write(message.WriteTo);
            var serialized = Write(writer => JsonSerializer.Serialize(writer, message, ProviderJson.Default.LogMessage));

            Assert.Equal(serialized, handWritten);
            Assert.Equal(message with { Timestamp = message.Timestamp.ToUniversalTime() }, JsonSerializer.Deserialize(handWritten, ProviderJson.Default.LogMessage));
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
