using System.Text;

namespace Faas.Proxy.Upstream;

/// <summary>Common response header names as shared strings, so parsing them allocates nothing.</summary>
internal static class HeaderNames
{
    private static readonly string[] Known =
    [
        "Content-Length", "Content-Type", "Date", "Server", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Cache-Control", "Content-Encoding", "ETag", "Last-Modified", "Location", "Set-Cookie", "Vary",
        "X-Duration-Seconds", "X-Call-Id", "X-Start-Time", "X-OpenFaaS-Internal", "Upgrade", "Sec-WebSocket-Accept",
    ];

    public static string Intern(ReadOnlySpan<byte> name)
    {
        foreach (var known in Known)
        {
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        return Encoding.Latin1.GetString(name);
    }
}
