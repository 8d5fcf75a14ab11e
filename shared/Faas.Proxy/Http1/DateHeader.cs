using System.Globalization;
using System.Text;

namespace Faas.Proxy.Http1;

/// <summary>The <c>Date</c> header line (RFC 9110 §6.6.1), re-encoded at most once a second, as Kestrel does.</summary>
internal static class DateHeader
{
    private static readonly Lock Gate = new();
    private static byte[] _line = [];
    private static long _second = -1;

    /// <summary>"Date: ...\r\n" for the current second.</summary>
    public static byte[] Line
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var second = now.ToUnixTimeSeconds();
            if (Volatile.Read(ref _second) == second)
            {
                return _line;
            }

            lock (Gate)
            {
                _line = Encoding.ASCII.GetBytes("Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n");
                Volatile.Write(ref _second, second);
                return _line;
            }
        }
    }
}
