using System.Net;
using System.Net.Sockets;

namespace Faas.Provider;

/// <summary>A loopback port nothing listens on now. If another process takes it first, the replica fails to bind and is restarted on a new one.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
