using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text.Json;
using Faas.Posix;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;
using Faas.Provider.Host.State;
using Faas.Provider.Host.Supervision;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// One running replica: a watchdog process (in its sandbox, where there is one) leading its own process group on a
/// free loopback port, its output captured to the function's log, its PID recorded under <c>run/</c> so a later start
/// can reap it if this process dies without stopping it. Started for a function directly, or ahead of demand as a
/// standby (<c>FAAS_STANDBY=1</c>) that is later assigned a function. Either way the function's variables reach the
/// watchdog through its stdin, never the environment of the programs that sandbox it; nothing of the gateway's own
/// environment is passed on.
/// </summary>
internal sealed class ReplicaProcess : IRunningReplica
{
    /// <summary>
    /// The longest log line kept whole (the watchdog's default <c>log_buffer_size</c>); longer ones are stored in pieces.
    /// A function sets its own watchdog's limit and can write to the watchdog's output itself: without a limit here one
    /// line of hundreds of megabytes was held whole by the gateway and, too long for a JSON string, stopped it.
    /// </summary>
    private const int MaxLogLine = 64 * 1024;

    /// <summary>
    /// How long disposal waits for the end of the replica's output after it exited: its group is killed by then, so
    /// only a process that left the group can hold the pipes open longer.
    /// </summary>
    private static readonly TimeSpan OutputEndLimit = TimeSpan.FromSeconds(2);

    private readonly SpawnedProcess _process;
    private readonly ReplicaSandbox _sandbox;
    private readonly string _pidFile;
    private readonly ReplicaDirectory _directory;
    private volatile Assignment? _assignment;
    private readonly ReplicaGroup? _group;
    private volatile string? _lastOutput;
    private Task _output = Task.CompletedTask;

    private ReplicaProcess(SpawnedProcess process, ReplicaSandbox sandbox, string id, int port, ReplicaDirectory directory, string pidFile, ReplicaGroup? group)
    {
        _process = process;
        _sandbox = sandbox;
        Pid = process.Id;
        Port = port;
        Instance = id;
        _directory = directory;
        _pidFile = pidFile;
        _group = group;
        Exited = WaitForExitAsync();
    }

    /// <summary>The replica's instance name (a standby's own id until it is assigned a function).</summary>
    public string Instance { get; private set; }

    public int Port { get; }

    public string? LastOutput => _lastOutput;

    /// <summary>True when the watchdog reports itself ready on its descriptor 3; false if it exits (or closes it) without a report.</summary>
    public Task<bool>? ReadyReported { get; private set; }

    /// <summary>The replica's control group, where it has one (see <see cref="ReplicaLimits"/>).</summary>
    public ReplicaGroup? Group => _group;

    /// <summary>The process the provider started: the watchdog, or bubblewrap around it.</summary>
    public int Pid { get; }

    /// <summary>Completes with the watchdog's exit code when it exits.</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts a replica of <paramref name="launch"/> from scratch.</summary>
    /// <param name="group">The replica's control group, joined before the watchdog runs.</param>
    internal static ReplicaProcess Start(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, ReplicaLaunch launch, string instance, FunctionLog log, ReplicaGroup? group)
    {
        var directory = ReplicaDirectory.Create(Path.Combine(state.Replicas, launch.Key.Namespace, instance), sandbox);
        var app = launch.WorkingDirectory ?? directory.App;
        var info = CreateStartInfo(options, sandbox, instance, directory, new SandboxMounts(app, launch.SecretsDirectory, directory.Temporary, state.Root), out var port);
        info.WorkingDirectory = sandbox.IsIsolated ? directory.Root : app;
        group?.Enter(info);

        var replica = Launch(info, state, sandbox, instance, port, directory, group);
        replica.Assign(launch, instance, log, standby: false);
        return replica;
    }

    /// <summary>Starts a watchdog that belongs to no function yet and waits on stdin for <see cref="AssignStandby"/>.</summary>
    /// <param name="createGroup">Makes the standby's control group, given its id (null: it has none).</param>
    internal static ReplicaProcess StartStandby(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, Func<string, ReplicaGroup?> createGroup)
    {
        var id = $"standby-{Guid.NewGuid().ToString("N")[..8]}";
        var directory = ReplicaDirectory.Create(Path.Combine(state.Replicas, "standby", id), sandbox);
        var info = CreateStartInfo(options, sandbox, id, directory, new SandboxMounts(directory.App, directory.Secrets, directory.Temporary, state.Root), out var port);
        info.WorkingDirectory = directory.Root;
        info.Environment["FAAS_STANDBY"] = "1";
        var group = createGroup(id);
        try
        {
            group?.Enter(info);
            return Launch(info, state, sandbox, id, port, directory, group);
        }
        catch
        {
            group?.TryDelete();
            throw;
        }
    }

    /// <summary>
    /// Hands a standby its function (its control group already holds it to the function's limits): in a sandbox its
    /// files and secrets are linked into the directories the standby already sees; the environment goes to the
    /// watchdog's stdin as one JSON object.
    /// </summary>
    public ReplicaProcess AssignStandby(ReplicaLaunch launch, string instance, FunctionLog log)
    {
        Assign(launch, instance, log, standby: true);
        return this;
    }

    /// <summary>
    /// SIGTERM to the watchdog alone (it drains and stops its function; a group-wide signal could hit a child it has
    /// just forked), or SIGINT, the same drain without the wait for routers, when nothing routes to it any more; then
    /// SIGKILL to whatever is left: the whole group, and with bubblewrap the namespace.
    /// </summary>
    public Task StopAsync(TimeSpan grace, bool stillRouted = true) =>
        ProcessGroup.TerminateAsync(Pid, Exited, grace, terminate: _sandbox.InnerPid(Pid), signal: stillRouted ? Signals.SigTerm : Signals.SigInt);

    /// <summary>SIGKILL to the whole group at once: a standby that cannot be handed its function.</summary>
    public void Kill() => Signals.SendToGroup(Pid, Signals.SigKill);

    /// <summary>
    /// Waits for the end of the replica's output first: its lines are handed on from the thread pool, behind its exit,
    /// and its last ones (a drain's report) must reach the function's log before the provider closes it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _output.WaitAsync(OutputEndLimit).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    /// <summary>
    /// The watchdog's start: its environment has only the backend's variables and the operator's watchdog settings.
    /// The function's variables go to its stdin (<see cref="Assign"/>): the programs that build the sandbox run as
    /// root with this environment, and the dynamic loader obeys it (a function's LD_PRELOAD would run as root there).
    /// </summary>
    private static ProcessStartInfo CreateStartInfo(LocalProviderOptions options, ReplicaSandbox sandbox, string id, ReplicaDirectory directory, SandboxMounts mounts, out int port)
    {
        port = FreePort.Next();
        var temporary = sandbox.IsIsolated ? ReplicaSandbox.TempDirectory : directory.Temporary;
        var info = new ProcessStartInfo(Path.GetFullPath(options.WatchdogPath));
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment["LANG"] = "C.UTF-8";
        info.Environment["HOME"] = temporary;
        info.Environment["TMPDIR"] = temporary;
        foreach (var (name, value) in options.WatchdogEnvironment)
        {
            info.Environment[name] = value;
        }

        info.Environment["port"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["listen_address"] = "127.0.0.1";
        info.Environment["healthcheck_interval"] = options.DrainDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        info.Environment["prefix_logs"] = "false";
        info.Environment["FAAS_REPLICA_ID"] = id;
        // Stdin stays open for the replica's life (see Assign): its end tells the watchdog that this gateway is gone.
        info.Environment["FAAS_LIFELINE"] = "1";
        info.Environment["FAAS_READY_FD"] = "3";
        info.Environment["FAAS_ENVIRONMENT"] = "stdin";
        sandbox.Enter(info, mounts);
        return info;
    }

    private static ReplicaProcess Launch(ProcessStartInfo info, StateDirectory state, ReplicaSandbox sandbox, string id, int port, ReplicaDirectory directory, ReplicaGroup? group)
    {
        // The watchdog's readiness report (FAAS_READY_FD): the pipe's writing end is its descriptor 3 and no one else's.
        var readyReport = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        SpawnedProcess process;
        try
        {
            using (BatchScheduling.ForChildren())
            {
                process = SpawnedProcess.Start(info, newSession: true, descriptors: [readyReport.ClientSafePipeHandle]);
            }
        }
        catch
        {
            readyReport.Dispose();
            throw;
        }

        readyReport.DisposeLocalCopyOfClientHandle();

        var pidFile = Path.Combine(state.RunningReplicas, id);
        StateDirectory.WriteAtomically(pidFile, System.Text.Encoding.ASCII.GetBytes(process.Id.ToString(CultureInfo.InvariantCulture)));
        var replica = new ReplicaProcess(process, sandbox, id, port, directory, pidFile, group);
        replica._output = Task.WhenAll(
            OutputLines.ReadAsync(process.StandardOutput, MaxLogLine, replica.Capture),
            OutputLines.ReadAsync(process.StandardError, MaxLogLine, replica.Capture));
        replica.ReadyReported = WaitForReportAsync(readyReport);
        return replica;
    }

    /// <summary>
    /// The function's variables, where its secrets are as it sees them, and a port of its own in $PORT for http mode
    /// (replicas share the host's network).
    /// </summary>
    private static Dictionary<string, string> FunctionEnvironment(ReplicaLaunch launch, ReplicaSandbox sandbox)
    {
        var environment = new Dictionary<string, string>(launch.Environment.Where(variable => !WatchdogVariables.IsReserved(variable.Key)), StringComparer.Ordinal)
        {
            ["FAAS_SECRETS_DIR"] = sandbox.IsIsolated ? ReplicaSandbox.SecretsDirectory : launch.SecretsDirectory,
        };
        if (launch.IsHttpMode)
        {
            var upstreamPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            environment["PORT"] = upstreamPort;
            environment["upstream_url"] = $"http://127.0.0.1:{upstreamPort}";
        }

        return environment;
    }

    /// <summary>
    /// Gives the watchdog its function's variables on stdin, as one line of JSON (<c>FAAS_ENVIRONMENT=stdin</c>), and a
    /// standby its function's files too: in a sandbox they are linked into the directories the standby already sees.
    /// </summary>
    private void Assign(ReplicaLaunch launch, string instance, FunctionLog log, bool standby)
    {
        Instance = instance;
        _assignment = new Assignment(launch.Key, instance, log);
        var environment = FunctionEnvironment(launch, _sandbox);
        if (standby)
        {
            if (_sandbox.IsIsolated)
            {
                _directory.Fill(launch.WorkingDirectory, launch.SecretsDirectory, _sandbox);
                environment["FAAS_WORKDIR"] = ReplicaSandbox.AppDirectory;
            }
            else
            {
                environment["FAAS_WORKDIR"] = launch.WorkingDirectory ?? _directory.App;
            }
        }

        _process.StandardInput.Write([.. JsonSerializer.SerializeToUtf8Bytes(environment, AssignmentJson.Default.DictionaryStringString), (byte)'\n']);

        // Not closed: the watchdog's lifeline (FAAS_LIFELINE). Only this process holds the pipe's writing end, so the
        // kernel closes it when the gateway goes, however it goes, and the replica stops instead of living on unseen.
    }

    /// <summary>True at the report's newline, false at the end of the pipe (the watchdog gone), whichever comes first.</summary>
    private static async Task<bool> WaitForReportAsync(AnonymousPipeServerStream report)
    {
        await using (report)
        {
            try
            {
                return await report.ReadAsync(new byte[1]) == 1;
            }
            catch (IOException)
            {
                // A broken pipe ends the wait as its end would.
                return false;
            }
        }
    }

    private void Capture(string line)
    {
        _lastOutput = line;
        if (_assignment is { } assignment)
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
        var exitCode = await _process.Exited;

        // Whatever the watchdog left in its group (an http-mode function) goes with it, asked or not.
        Signals.SendToGroup(Pid, Signals.SigKill);
        File.Delete(_pidFile);
        _directory.Delete();
        if (_group is { } group)
        {
            // What the group still holds (a daemon the function started) is killed; the group is left behind only if
            // something outlives that, and the next start removes it.
            await group.DeleteAsync();
        }

        return exitCode;
    }

    private sealed record Assignment(FunctionKey Key, string Instance, FunctionLog Log);
}

/// <summary>A standby's assignment: one line of compact JSON, as the watchdog reads it.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AssignmentJson : System.Text.Json.Serialization.JsonSerializerContext;
