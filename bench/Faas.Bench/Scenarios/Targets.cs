using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>A process under measurement, listening on a loopback port, stopped by PID on dispose.</summary>
public sealed class Target(ChildProcess process, int port, IDisposable? owned = null, string path = "") : IAsyncDisposable
{
    public int Pid => process.Pid;

    public int Port => port;

    /// <summary>The base URL requests go to (for the gateway, the function's route).</summary>
    public string Url => $"http://127.0.0.1:{port}{path}";

    /// <summary>The same process with requests going to <paramref name="route"/>.</summary>
    public Target WithPath(string route) => new(process, port, owned, route);

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        owned?.Dispose();
    }
}

/// <summary>Starts the published binaries the scenarios measure.</summary>
internal static class Targets
{
    public static async Task<Target> StartUpstreamAsync()
    {
        var port = FreePort.Next();
        var process = ChildProcess.Start(Binaries.TestUpstream, [port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(20), () => process.Output);
        return new Target(process, port);
    }

    /// <param name="logLevel">The watchdog's <c>log_level</c>: info (its default) logs a line per request, warn none.</param>
    /// <param name="binary">Another published watchdog (a baseline build) instead of out/watchdog.</param>
    /// <param name="launcher">What runs the watchdog, such as <see cref="Callgrind.Launcher"/>; null runs it directly.</param>
    public static Task<Target> StartWatchdogHttpAsync(string logLevel = "info", string? binary = null, IReadOnlyList<string>? launcher = null)
    {
        var upstreamPort = FreePort.Next();
        return StartWatchdogAsync(new()
        {
            ["mode"] = "http",
            ["fprocess"] = $"{Binaries.TestUpstream} {upstreamPort}",
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
            ["log_level"] = logLevel,
        }, binary, launcher);
    }

    /// <summary>A second watchdog in http mode whose upstream is <paramref name="inner"/>: a hop that costs what the watchdog's costs.</summary>
    public static Task<Target> StartWatchdogInFrontOfAsync(Target inner) => StartWatchdogAsync(new()
    {
        ["mode"] = "http",
        ["fprocess"] = "sleep infinity",
        ["upstream_url"] = inner.Url,
        ["log_level"] = "info",
    });

    /// <param name="launcher">What runs the watchdog, such as <see cref="Callgrind.Launcher"/>; null runs it directly.</param>
    public static async Task<Target> StartWatchdogAsync(Dictionary<string, string> environment, string? binary = null, IReadOnlyList<string>? launcher = null)
    {
        var temp = new TempDirectory("faas-bench-");
        var port = FreePort.Next();
        environment["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["metrics_port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["listen_address"] = "127.0.0.1";
        environment["healthcheck_interval"] = "0";
        environment["TMPDIR"] = temp.Path;
        var (program, arguments) = Command(binary ?? Binaries.Watchdog, [], launcher);
        var process = ChildProcess.Start(program, arguments, environment);
        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{port}/_/health", StartTimeout(launcher), () => process.Output);
        return new Target(process, port, temp);
    }

    /// <summary>The program to start and its arguments: the binary itself, or the launcher with the binary after it.</summary>
    public static (string Program, string[] Arguments) Command(string binary, string[] arguments, IReadOnlyList<string>? launcher) =>
        launcher is null ? (binary, arguments) : (launcher[0], [.. launcher.Skip(1), binary, .. arguments]);

    /// <summary>How long a start may take: under a launcher such as valgrind, minutes rather than seconds.</summary>
    public static TimeSpan StartTimeout(IReadOnlyList<string>? launcher) => launcher is null ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(3);
}
