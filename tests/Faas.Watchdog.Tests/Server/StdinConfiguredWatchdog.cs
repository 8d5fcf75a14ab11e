using System.Globalization;
using Faas.Testing;

namespace Faas.Watchdog.Tests.Server;

/// <summary>A watchdog that waits for its function's variables on stdin (a standby, or <c>FAAS_ENVIRONMENT=stdin</c>), on free loopback ports.</summary>
internal static class StdinConfiguredWatchdog
{
    public static (ChildProcess Process, int Port, TempDirectory Temp) Start(string variable, string value)
    {
        var temp = new TempDirectory();
        var port = FreePort.Next();
        var process = ChildProcess.Start(RepoPaths.Watchdog, [], new Dictionary<string, string>
        {
            [variable] = value,
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["listen_address"] = "127.0.0.1",
            ["TMPDIR"] = temp.Path,
            ["healthcheck_interval"] = "0",
        });
        return (process, port, temp);
    }
}
