using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Faas.Posix;

/// <summary>
/// A loopback port nothing listens on now. It is chosen below the kernel's ephemeral range
/// (<c>ip_local_port_range</c>): a port from that range, once released, can be handed to any outgoing connection or
/// port-0 bind before its new owner binds it. Two callers can still pick the same port at the same moment; then the
/// replica fails to bind and is restarted on a new one.
/// </summary>
public static class FreePort
{
    /// <summary>The lowest port handed out: clear of the well-known and commonly configured service ports.</summary>
    public const int Lowest = 10000;

    private const int Attempts = 100;

    private static readonly int EphemeralStart = ReadEphemeralStart();

    public static int Next()
    {
        if (EphemeralStart - Lowest >= 1000)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(Lowest, EphemeralStart);
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first ephemeral port (Linux's default range starts at 32768), or 0 where it cannot be read.</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
