using System.Text;

namespace Faas.Proxy.Http1;

/// <summary>
/// How Kestrel encodes response header values that are relayed from a function. The upstream parsers read header bytes
/// as Latin-1 (one char per byte), so Latin-1 written back relays every byte as it came: a function's Latin-1 or UTF-8
/// value (a file name in Content-Disposition, say) reaches the caller as the fast path relays it, where Kestrel's
/// default, ASCII only, failed the whole response with a 500.
/// </summary>
public static class HeaderEncoding
{
    public static Func<string, Encoding?> Relayed { get; } = static _ => Encoding.Latin1;
}
