using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Isolation;

/// <summary>
/// Control groups for local replicas, below the gateway's own: a function's <c>limits</c> (memory and CPU, as OpenFaaS
/// and the container backends take them), and a cap on the processes and threads of every replica
/// (<see cref="LocalProviderOptions.PidsLimit"/>), as a container's pids limit, so that a function that forks without
/// end fails its own forks rather than taking the host's PIDs from the gateway and every other function. All replicas
/// together may hold at most half the host's PIDs. A group is joined before the watchdog runs (a standby's when it
/// starts), so whatever the function starts is held too. Where control groups cannot be made (not root, a read-only
/// <c>/sys</c>, controllers held elsewhere) nothing is enforced, and <see cref="Summary"/> says why.
/// </summary>
internal sealed class ReplicaLimits
{
    private const string MountPoint = "/sys/fs/cgroup";
    private const int CpuPeriodMicroseconds = 100_000;

    private readonly string? _memoryParent;
    private readonly string? _cpuParent;
    private readonly string? _pidsParent;
    private readonly bool _unified;
    private readonly int _pidsPerReplica;
    private readonly long _pidsInAll;

    private ReplicaLimits(string summary) => Summary = summary;

    private ReplicaLimits(string version, string memoryParent, string cpuParent, string? pidsParent, bool unified, int pidsPerReplica)
    {
        (_memoryParent, _cpuParent, _pidsParent, _unified) = (memoryParent, cpuParent, pidsParent, unified);
        _pidsPerReplica = pidsParent is null ? 0 : pidsPerReplica;
        _pidsInAll = HostPids() / 2;
        var pids = pidsParent is null ? $"processes are not limited (no pids controller in {version})"
            : _pidsPerReplica > 0 ? $"each replica may run at most {_pidsPerReplica} processes and threads, all of them together {_pidsInAll}"
            : $"replicas together may run at most {_pidsInAll} processes and threads (Gateway:Local:PidsLimit is 0)";
        Summary = $"function limits (memory, CPU) are enforced and {pids}: a control group per replica ({version})";
    }

    /// <summary>One line for the start-up log: what is enforced, or why nothing is.</summary>
    public string Summary { get; }

    public bool CanEnforce => _memoryParent is not null;

    /// <summary>
    /// Finds the gateway's own control groups and tries a group below them for this state directory's replicas (two
    /// gateways on one machine keep theirs apart): made when a replica needs it, removed with the gateway.
    /// </summary>
    /// <param name="pidsPerReplica">The most processes and threads a replica may run; 0 for no limit of its own.</param>
    public static ReplicaLimits Detect(string stateDirectory, int pidsPerReplica)
    {
        // Not SHA-256: that would load OpenSSL into the gateway at start (megabytes) for a name.
        var name = "faas-" + XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory))).ToString("x16", CultureInfo.InvariantCulture);
        try
        {
            var own = File.ReadAllLines("/proc/self/cgroup").Select(line => line.Split(':', 3)).Where(parts => parts.Length == 3).ToList();
            ReplicaLimits limits;
            if (File.Exists(Path.Combine(MountPoint, "cgroup.controllers")))
            {
                var path = own.FirstOrDefault(parts => parts[0] == "0")?[2] ?? throw new IOException("/proc/self/cgroup names no cgroup v2 group");
                var gateway = Path.Join(MountPoint, path);
                var hasPids = File.ReadAllText(Path.Join(gateway, "cgroup.controllers")).Split(' ', StringSplitOptions.TrimEntries).Contains("pids");
                GiveControllers(gateway, Controllers(hasPids));
                var parent = Path.Join(gateway, name);
                limits = new ReplicaLimits("cgroup v2", parent, parent, hasPids ? parent : null, unified: true, pidsPerReplica);
            }
            else
            {
                string? V1Parent(string controller, bool required)
                {
                    var mounted = own.FirstOrDefault(parts => parts[1].Split(',').Contains(controller))?[2];
                    if (mounted is null && !required)
                    {
                        return null;
                    }

                    var gateway = Path.Join(MountPoint, controller, mounted ?? throw new IOException($"no cgroup v1 {controller} controller is mounted"));

                    // Not made here: a group missing from this mount (another namespace's view) is not the gateway's.
                    return Directory.Exists(gateway) ? Path.Join(gateway, name)
                        : required ? throw new IOException($"the gateway's control group {gateway} is not there") : null;
                }

                limits = new ReplicaLimits("cgroup v1", V1Parent("memory", true)!, V1Parent("cpu", true)!, V1Parent("pids", false), unified: false, pidsPerReplica);
            }

            // Made once here to know that it can be, then removed until a replica needs it (unless a previous run
            // left groups in it: RemoveLeftoversAsync).
            limits.MakeParents();
            limits.Release();
            return limits;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new ReplicaLimits($"function limits (memory, CPU) are not enforced, nor is a replica's number of processes: control groups cannot be made here ({error.Message})");
        }
    }

    /// <summary>Whether a replica with <paramref name="limits"/> runs in a group of its own: it sets some, or every replica's processes are limited.</summary>
    public bool NeedGroup(FunctionResources? limits) =>
        CanEnforce && (_pidsPerReplica > 0 || ResourceQuantity.Bytes(limits?.Memory) > 0 || ResourceQuantity.NanoCpus(limits?.Cpu) > 0);

    /// <summary>A control group for one replica (or standby) named <paramref name="name"/>, holding it to the processes limit.</summary>
    public ReplicaGroup CreateGroup(string name)
    {
        if (!CanEnforce)
        {
            throw new InvalidOperationException(Summary);
        }

        var group = new ReplicaGroup(name, [.. MakeParents().Select(parent => Directory.CreateDirectory(Path.Join(parent, name)).FullName)]);
        try
        {
            if (_pidsPerReplica > 0)
            {
                Write(Path.Join(_pidsParent, name), "pids.max", _pidsPerReplica.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            group.TryDelete();
            throw;
        }

        return group;
    }

    /// <summary>Holds <paramref name="group"/> to a function's memory and CPU limits (a standby's group when it is handed its function).</summary>
    public void Apply(ReplicaGroup group, FunctionResources? limits)
    {
        var memory = ResourceQuantity.Bytes(limits?.Memory);
        if (memory > 0)
        {
            Write(Path.Join(_memoryParent, group.Name), _unified ? "memory.max" : "memory.limit_in_bytes", memory.ToString(CultureInfo.InvariantCulture));
        }

        var nanoCpus = ResourceQuantity.NanoCpus(limits?.Cpu);
        if (nanoCpus > 0)
        {
            var cpuGroup = Path.Join(_cpuParent, group.Name);
            var quota = Math.Max(1_000, nanoCpus * CpuPeriodMicroseconds / 1_000_000_000).ToString(CultureInfo.InvariantCulture);
            if (_unified)
            {
                Write(cpuGroup, "cpu.max", $"{quota} {CpuPeriodMicroseconds}");
            }
            else
            {
                Write(cpuGroup, "cpu.cfs_period_us", CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
                Write(cpuGroup, "cpu.cfs_quota_us", quota);
            }
        }
    }

    /// <summary>
    /// Removes the groups a previous run on this state directory left (it was killed before it could), killing what
    /// is still in them: by their name they are this state directory's replicas, whatever session they moved to.
    /// Before any replica of this run starts.
    /// </summary>
    public async Task RemoveLeftoversAsync()
    {
        if (!CanEnforce)
        {
            return;
        }

        var leftovers = Parents.Where(Directory.Exists).SelectMany(Directory.EnumerateDirectories).Select(Path.GetFileName).Distinct().ToList();
        foreach (var name in leftovers)
        {
            await new ReplicaGroup(name!, [.. Parents.Select(parent => Path.Join(parent, name))]).DeleteAsync().ConfigureAwait(false);
        }

        Release();
    }

    /// <summary>Removes this gateway's group of groups if no replica's group is left in it.</summary>
    public void Release()
    {
        if (CanEnforce)
        {
            ReplicaGroup.TryDelete(Parents);
        }
    }

    /// <summary>One directory per hierarchy; one in all when the controllers share it (v2).</summary>
    private string[] Parents => [.. new[] { _memoryParent!, _cpuParent!, _pidsParent }.OfType<string>().Distinct()];

    /// <summary>Makes the parents where they are missing (in v2 giving the controllers on to the groups below), capping the PIDs of all replicas.</summary>
    private string[] MakeParents()
    {
        foreach (var parent in Parents)
        {
            if (Directory.Exists(parent))
            {
                continue;
            }

            Directory.CreateDirectory(parent);
            if (_unified)
            {
                Write(parent, "cgroup.subtree_control", Controllers(_pidsParent is not null));
            }

            if (parent == _pidsParent)
            {
                Write(parent, "pids.max", _pidsInAll.ToString(CultureInfo.InvariantCulture));
            }
        }

        return Parents;
    }

    private static string Controllers(bool pids) => pids ? "+memory +cpu +pids" : "+memory +cpu";

    /// <summary>How many tasks the host can have: the lower of the kernel's PID and thread limits.</summary>
    private static long HostPids() =>
        Math.Min(long.Parse(File.ReadAllText("/proc/sys/kernel/pid_max"), CultureInfo.InvariantCulture), long.Parse(File.ReadAllText("/proc/sys/kernel/threads-max"), CultureInfo.InvariantCulture));

    /// <summary>
    /// cgroup v2 gives controllers only down from a group without processes of its own (the host's root excepted; a
    /// container's root is not the host's): the gateway moves into a leaf of its group first, as a delegated service
    /// does, then gives them. A group that holds other processes too is left as it was.
    /// </summary>
    private static void GiveControllers(string gateway, string controllers)
    {
        if (File.ReadAllText(Path.Join(gateway, "cgroup.procs")).Trim().Length == 0)
        {
            Write(gateway, "cgroup.subtree_control", controllers);
            return;
        }

        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Write(Directory.CreateDirectory(Path.Join(gateway, "faas-gateway")).FullName, "cgroup.procs", self);
        try
        {
            Write(gateway, "cgroup.subtree_control", controllers);
        }
        catch (IOException error)
        {
            Write(gateway, "cgroup.procs", self);
            throw new IOException($"{gateway} holds processes besides the gateway, and cgroup v2 gives controllers only below a group without any; run the gateway in a group of its own (a systemd service with Delegate=yes): {error.Message}", error);
        }
    }

    private static void Write(string group, string file, string value) => File.WriteAllText(Path.Join(group, file), value);
}
