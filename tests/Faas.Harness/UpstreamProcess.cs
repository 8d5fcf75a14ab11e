using Faas.Posix;
namespace Faas.Harness;

/// <summary>The test-upstream HTTP server on a free loopback port.</summary>
public static class UpstreamProcess
{
    public static async Task<(ChildProcess Process, int Port)> StartAsync(TimeSpan? readyAfter = null)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string> { ["READY_AFTER_MS"] = ((int)(readyAfter ?? TimeSpan.Zero).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var process = ChildProcess.Start(RepoPaths.TestUpstream, [port.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);
        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(20), () => process.Output);
        return (process, port);
    }
}
