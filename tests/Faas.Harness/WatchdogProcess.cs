using Faas.Posix;
namespace Faas.Harness;

/// <summary>
/// The real watchdog binary on free loopback ports, with its own TMPDIR (so its lock file is its own).
/// Defaults suit tests: <c>healthcheck_interval=0</c> so SIGTERM drains at once.
/// </summary>
public sealed class WatchdogProcess : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("faas-watchdog-");

    private WatchdogProcess(IReadOnlyDictionary<string, string> environment, bool interruptIgnored, string? inheritedFile)
    {
        Port = FreePort.Next();
        MetricsPort = FreePort.Next();
        var merged = new Dictionary<string, string>
        {
            ["port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["metrics_port"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["listen_address"] = "127.0.0.1",
            ["TMPDIR"] = _temp.Path,
            ["healthcheck_interval"] = "0",
        };
        foreach (var (name, value) in environment)
        {
            merged[name] = value;
        }

        Process = ChildProcess.Start(RepoPaths.Watchdog, [], merged, interruptIgnored: interruptIgnored, inheritedFile: inheritedFile);
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public int MetricsPort { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string MetricsUrl => $"http://127.0.0.1:{MetricsPort}/metrics";

    public string LockFile => _temp.Combine(".lock");

    /// <summary>Starts a watchdog and, unless told not to, waits until <c>/_/health</c> answers 200.</summary>
    /// <param name="interruptIgnored">Start it with SIGINT ignored, as a shell's background job and its children are.</param>
    /// <param name="inheritedFile">A file it inherits open, as <see cref="ChildProcess.Start"/> says.</param>
    public static async Task<WatchdogProcess> StartAsync(IReadOnlyDictionary<string, string> environment, bool waitUntilHealthy = true, bool interruptIgnored = false,
        string? inheritedFile = null)
    {
        var watchdog = new WatchdogProcess(environment, interruptIgnored, inheritedFile);
        if (waitUntilHealthy)
        {
            await TestHttp.WaitForOkAsync(watchdog.Url + "/_/health", TimeSpan.FromSeconds(20), () => watchdog.Process.Output);
        }

        return watchdog;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _temp.Dispose();
    }
}
