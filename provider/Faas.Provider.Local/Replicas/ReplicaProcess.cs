using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Faas.Posix;
using Faas.Provider.Local.Logs;
using Faas.Provider.Local.State;
using Faas.Provider.Supervision;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// One running replica: a watchdog process leading its own process group on a free loopback port, its
/// output captured to the function's log, its PID recorded under <c>run/</c> so a later start can reap it
/// if this process dies without stopping it. Started for a function directly, or ahead of demand as a
/// standby (<c>FAAS_STANDBY=1</c>) that is later assigned a function through its stdin.
/// </summary>
public sealed class ReplicaProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _pidFile;
    private readonly string _directory;
    private volatile Assignment? _assignment;

    private ReplicaProcess(Process process, int port, string directory, string pidFile)
    {
        _process = process;
        Pid = process.Id;
        Port = port;
        _directory = directory;
        _pidFile = pidFile;
        Exited = WaitForExitAsync();
    }

    public int Port { get; }

    public int Pid { get; }

    /// <summary>Completes with the exit code when the watchdog exits.</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts a replica of <paramref name="launch"/> from scratch.</summary>
    public static ReplicaProcess Start(LocalProviderOptions options, StateDirectory state, ReplicaLaunch launch, string instance, FunctionLog log)
    {
        var directory = Path.Combine(state.Replicas, launch.Key.Namespace, instance);
        var info = CreateStartInfo(options, state, instance, directory, out var port);
        info.WorkingDirectory = launch.WorkingDirectory ?? directory;
        foreach (var (name, value) in FunctionEnvironment(launch))
        {
            info.Environment[name] = value;
        }

        var replica = Launch(info, state, instance, port, directory);
        replica.Assign(launch, instance, log, sendToStandby: false);
        return replica;
    }

    /// <summary>Starts a watchdog that belongs to no function yet and waits on stdin for <see cref="AssignStandby"/>.</summary>
    public static ReplicaProcess StartStandby(LocalProviderOptions options, StateDirectory state)
    {
        var id = $"standby-{Guid.NewGuid().ToString("N")[..8]}";
        var directory = Path.Combine(state.Replicas, "standby", id);
        var info = CreateStartInfo(options, state, id, directory, out var port);
        info.WorkingDirectory = directory;
        info.Environment["FAAS_STANDBY"] = "1";
        return Launch(info, state, id, port, directory);
    }

    /// <summary>Hands a standby its function: the environment goes to the watchdog's stdin as one JSON object.</summary>
    public ReplicaProcess AssignStandby(ReplicaLaunch launch, string instance, FunctionLog log)
    {
        Assign(launch, instance, log, sendToStandby: true);
        return this;
    }

    /// <summary>True once the watchdog answers 200 on <c>/_/health</c>; false if it exits or the timeout passes first.</summary>
    public Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        HealthProbe.WaitUntilReadyAsync(Port, Exited, timeout, cancellationToken);

    /// <summary>SIGTERM to the watchdog, which drains and stops its function; then SIGKILL to whatever is left in its group.</summary>
    public Task StopAsync(TimeSpan grace) => ProcessGroup.TerminateAsync(Pid, Exited, grace, terminateLeaderOnly: true);

    public void Dispose() => _process.Dispose();

    private static ProcessStartInfo CreateStartInfo(LocalProviderOptions options, StateDirectory state, string id, string directory, out int port)
    {
        port = FreePort.Next();
        var temporary = Path.Combine(directory, "tmp");
        StateDirectory.EnsureDirectory(temporary);
        var info = new ProcessStartInfo(options.WatchdogPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["port"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["listen_address"] = "127.0.0.1";
        info.Environment["TMPDIR"] = temporary;
        info.Environment["healthcheck_interval"] = options.DrainDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        info.Environment["prefix_logs"] = "false";
        info.Environment["FAAS_REPLICA_ID"] = id;
        foreach (var name in options.WithheldEnvironment)
        {
            info.Environment.Remove(name);
        }

        return info;
    }

    private static ReplicaProcess Launch(ProcessStartInfo info, StateDirectory state, string id, int port, string directory)
    {
        ProcessGroup.UseNewGroup(info);
        Process process;
        using (BatchScheduling.ForChildren())
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        }

        var pidFile = Path.Combine(state.RunningReplicas, id);
        StateDirectory.WriteAtomically(pidFile, System.Text.Encoding.ASCII.GetBytes(process.Id.ToString(CultureInfo.InvariantCulture)));
        var replica = new ReplicaProcess(process, port, directory, pidFile);
        process.OutputDataReceived += (_, line) => replica.Capture(line.Data);
        process.ErrorDataReceived += (_, line) => replica.Capture(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    /// <summary>The function's variables, plus a port of its own in $PORT for http mode (replicas share one machine).</summary>
    private static Dictionary<string, string> FunctionEnvironment(ReplicaLaunch launch)
    {
        var environment = new Dictionary<string, string>(launch.Environment, StringComparer.Ordinal);
        if (launch.IsHttpMode)
        {
            var upstreamPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            environment["PORT"] = upstreamPort;
            environment["upstream_url"] = $"http://127.0.0.1:{upstreamPort}";
        }

        return environment;
    }

    private void Assign(ReplicaLaunch launch, string instance, FunctionLog log, bool sendToStandby)
    {
        _assignment = new Assignment(launch.Key, instance, log);
        if (sendToStandby)
        {
            var environment = FunctionEnvironment(launch);
            environment["FAAS_WORKDIR"] = launch.WorkingDirectory ?? _directory;
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(environment, AssignmentJson.Default.DictionaryStringString));
        }

        _process.StandardInput.Close();
    }

    private void Capture(string? line)
    {
        if (line is not null && _assignment is { } assignment)
        {
            assignment.Log.Append(new LogMessage
            {
                Name = assignment.Key.Name,
                Namespace = assignment.Key.Namespace,
                Instance = assignment.Instance,
                Timestamp = DateTimeOffset.UtcNow,
                Text = line,
            });
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        File.Delete(_pidFile);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return _process.ExitCode;
    }

    private sealed record Assignment(FunctionKey Key, string Instance, FunctionLog Log);
}

/// <summary>A standby's assignment: one line of compact JSON, as the watchdog reads it.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AssignmentJson : System.Text.Json.Serialization.JsonSerializerContext;
