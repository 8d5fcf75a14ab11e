namespace Faas.Gateway.Invoke;

/// <summary>
/// New <c>X-Call-Id</c> values: random version 4 UUIDs, as OpenFaaS's gateway sends. They come from the shared
/// non-cryptographic generator because <see cref="Guid.NewGuid"/> reads the kernel's random source, a syscall on
/// every invocation, and a call id names a request without guarding anything.
/// </summary>
public static class CallId
{
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
