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

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);

        // The version nibble (4) sits in the high half of the 8th byte of Guid's little-endian layout; the RFC 4122
        // variant bits (10) in the 9th.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
