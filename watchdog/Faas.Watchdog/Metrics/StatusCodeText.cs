using System.Globalization;

namespace Faas.Watchdog.Metrics;

/// <summary>Status codes as label text without allocating a string per request.</summary>
internal static class StatusCodeText
{
    private static readonly string[] Cache = Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int statusCode) =>
        statusCode >= 0 && statusCode < Cache.Length ? Cache[statusCode] : statusCode.ToString(CultureInfo.InvariantCulture);
}
