using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Faas.Proxy.Http1;

/// <summary>HTTP/1.1 status lines with the standard reason phrases (as Kestrel writes them), encoded once per code.</summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Cache = new byte[]?[1000];

    /// <param name="statusCode">100 to 999.</param>
    public static ReadOnlySpan<byte> For(int statusCode) =>
        Cache[statusCode] ??= Encoding.ASCII.GetBytes($"HTTP/1.1 {statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}\r\n");
}
