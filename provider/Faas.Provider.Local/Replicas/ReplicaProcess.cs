using System.Diagnostics;
using System.Globalization;
using Faas.Posix;
using Faas.Provider.Local.Logs;
using Faas.Provider.Local.State;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// One running replica: a watchdog process leading its own process group on a free loopback port, its
/// output captured to the function's log, its PID recorded under <c>run/</c> so a later start can reap it
/// if this process dies without stopping it.
/// </summary>
public sealed class ReplicaProcess : IDisposable
{
    private static readonly HttpClient Probe = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    private readonly Process _process;
    private readonly string _pidFile;

    private ReplicaProcess(Process process, string instance, int port, string pidFile)
    {
        _process = process;
        Pid = process.Id;
        Instance = instance;
        Port = port;
        _pidFile = pidFile;
        Exited = WaitForExitAsync();
    }

    public string Instance { get; }

    public int Port { get; }

    public int Pid { get; }

    /// <summary>Completes with the exit code when the watchdog exits.</summary>
    public Task<int> Exited { get; }

    public static ReplicaProcess Start(LocalProviderOptions options, StateDirectory state, ReplicaLaunch launch, string instance, FunctionLog log)
    {
        var port = FreePort.Next();
        var replicaDirectory = Path.Combine(state.Replicas, launch.Key.Namespace, instance);
        var temporary = Path.Combine(replicaDirectory, "tmp");
        StateDirectory.EnsureDirectory(temporary);

        var info = new ProcessStartInfo(options.WatchdogPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory ?? replicaDirectory,
        };
        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["port"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["listen_address"] = "127.0.0.1";
        info.Environment["TMPDIR"] = temporary;
        info.Environment["healthcheck_interval"] = options.DrainDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        info.Environment["prefix_logs"] = "false";
        info.Environment["FAAS_REPLICA_ID"] = instance;
        if (launch.IsHttpMode)
        {
            // Replicas share one machine, so each http-mode function gets a port of its own in $PORT.
            var upstreamPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            info.Environment["PORT"] = upstreamPort;
            info.Environment["upstream_url"] = $"http://127.0.0.1:{upstreamPort}";
        }

        ProcessGroup.UseNewGroup(info);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {options.WatchdogPath}");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, line) => Capture(log, launch.Key, instance, line.Data);
        process.ErrorDataReceived += (_, line) => Capture(log, launch.Key, instance, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var pidFile = Path.Combine(state.RunningReplicas, instance);
        StateDirectory.WriteAtomically(pidFile, System.Text.Encoding.ASCII.GetBytes(process.Id.ToString(CultureInfo.InvariantCulture)));
        return new ReplicaProcess(process, instance, port, pidFile);
    }

    /// <summary>Polls <c>/_/health</c> (every few milliseconds: this is on the cold-start path) until 200; false if the process exits or the timeout passes first.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(2);
        while (clock.Elapsed < timeout && !Exited.IsCompleted)
        {
            try
            {
                using var response = await Probe.GetAsync($"http://127.0.0.1:{Port}/_/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.WhenAny(Task.Delay(delay, cancellationToken), Exited);
            cancellationToken.ThrowIfCancellationRequested();
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10));
        }

        return false;
    }

    /// <summary>SIGTERM to the replica's group (the watchdog drains), SIGKILL after the grace period.</summary>
    public Task StopAsync(TimeSpan grace) => ProcessGroup.TerminateAsync(Pid, Exited, grace);

    public void Dispose() => _process.Dispose();

    private static void Capture(FunctionLog log, FunctionKey key, string instance, string? line)
    {
        if (line is not null)
        {
            log.Append(new LogMessage { Name = key.Name, Namespace = key.Namespace, Instance = instance, Timestamp = DateTimeOffset.UtcNow, Text = line });
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        File.Delete(_pidFile);
        return _process.ExitCode;
    }
}
