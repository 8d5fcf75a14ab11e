using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Faas.Posix.Tests;

public class FreePortTests
{
    [Fact]
    public void Ports_come_from_below_the_ephemeral_range_and_can_be_bound()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);

        // Each is bound as it is handed out: a port free a moment ago can be taken by any other process on the host.
        var ports = Enumerable.Range(0, 20).Select(_ =>
        {
            var port = FreePort.Next();
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return port;
        }).ToList();

        Assert.All(ports, port => Assert.InRange(port, FreePort.Lowest, ephemeralStart - 1));
    }
}
