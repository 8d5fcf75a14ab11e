using Faas.Conventions;

namespace Faas.Gateway.Calls;

/// <summary>
/// <c>X-Call-Id</c> values. New ones are random version 4 UUIDs, as OpenFaaS's gateway sends. They come from the shared
/// non-cryptographic generator because <see cref="Guid.NewGuid"/> reads the kernel's random source, a syscall on
/// every invocation, and a call id names a request without guarding anything. A caller's own is checked: it becomes
/// part of a NATS subject and of log lines, so only a short word of safe characters is taken.
/// </summary>
internal static class CallId
{
    public const int MaxLength = 128;

    /// <summary>Null if <paramref name="value"/> is a usable call id, else the 400 message naming the header.</summary>
    public static string? Check(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':')
            ? null
            : $"{InvocationHeaders.CallId} must be 1 to {MaxLength} letters, digits, '-', '_' or ':' (got {(value.Length > 40 ? $"{value.Length} characters starting \"{value[..40]}\"" : $"\"{value}\"")})";

    /// <summary>A new id in the UUID's text form (see <see cref="LowerHex"/> for why it is written here).</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);

        // The version nibble (4) is the 13th hex digit, the RFC 4122 variant bits (10) open the 17th.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        Span<char> text = stackalloc char[36];
        LowerHex.Write(bytes[..4], text);
        text[8] = '-';
        LowerHex.Write(bytes[4..6], text[9..]);
        text[13] = '-';
        LowerHex.Write(bytes[6..8], text[14..]);
        text[18] = '-';
        LowerHex.Write(bytes[8..10], text[19..]);
        text[23] = '-';
        LowerHex.Write(bytes[10..], text[24..]);
        return new string(text);
    }
}
