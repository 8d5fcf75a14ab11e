using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Isolation;

/// <summary>
/// A function's <c>limits</c> (memory and CPU, as OpenFaaS and the container backends take them) for its local
/// replicas: each replica of a function with limits gets a control group of its own, below the gateway's, joined
/// before the watchdog runs, so whatever the function starts is held to them too. Memory past the limit is the
/// kernel's OOM kill inside the group, as in a container; CPU past it is throttled. Where control groups cannot be
/// made (not root, a read-only <c>/sys</c>, controllers held elsewhere) limits are not enforced, and
/// <see cref="Summary"/> says why.
/// </summary>
internal sealed class ReplicaLimits
{
    private const string MountPoint = "/sys/fs/cgroup";
    private const int CpuPeriodMicroseconds = 100_000;
    private const string Controllers = "+memory +cpu";

    private readonly string? _memoryParent;
    private readonly string? _cpuParent;
    private readonly bool _unified;

    private ReplicaLimits(string summary, string? memoryParent = null, string? cpuParent = null, bool unified = false)
    {
        Summary = summary;
        _memoryParent = memoryParent;
        _cpuParent = cpuParent;
        _unified = unified;
    }

    /// <summary>One line for the start-up log: whether limits are enforced, or why not.</summary>
    public string Summary { get; }

    public bool CanEnforce => _memoryParent is not null;

    /// <summary>
    /// Finds the gateway's own control groups and tries a group below them for this state directory's replicas (two
    /// gateways on one machine keep theirs apart): made when a replica needs it, removed with the gateway. What a
    /// previous run left there is removed too.
    /// </summary>
    public static ReplicaLimits Detect(string stateDirectory)
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
                GiveControllers(gateway);
                limits = new ReplicaLimits(EnforcedSummary("cgroup v2"), Path.Join(gateway, name), Path.Join(gateway, name), unified: true);
            }
            else
            {
                string V1Parent(string controller)
                {
                    var gateway = Path.Join(MountPoint, controller,
                        own.FirstOrDefault(parts => parts[1].Split(',').Contains(controller))?[2] ?? throw new IOException($"no cgroup v1 {controller} controller is mounted"));

                    // Not made here: a group missing from this mount (another namespace's view) is not the gateway's.
                    return Directory.Exists(gateway) ? Path.Join(gateway, name) : throw new IOException($"the gateway's control group {gateway} is not there");
                }

                limits = new ReplicaLimits(EnforcedSummary("cgroup v1"), V1Parent("memory"), V1Parent("cpu"), unified: false);
            }

            // Made once here to know that it can be (and to clear what a previous run left), then removed until a
            // replica needs it.
            foreach (var leftover in limits.MakeParents().SelectMany(Directory.EnumerateDirectories))
            {
                new ReplicaGroup([leftover]).TryDelete();
            }

            limits.Release();
            return limits;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new ReplicaLimits($"function limits (memory, CPU) are not enforced: control groups cannot be made here ({error.Message})");
        }
    }

    /// <summary>A control group for one replica of a function with <paramref name="limits"/>; null when it sets none or they cannot be enforced.</summary>
    public ReplicaGroup? CreateGroup(string instance, FunctionResources? limits)
    {
        var memory = ResourceQuantity.Bytes(limits?.Memory);
        var nanoCpus = ResourceQuantity.NanoCpus(limits?.Cpu);
        if (!CanEnforce || (memory <= 0 && nanoCpus <= 0))
        {
            return null;
        }

        var directories = MakeParents().Select(parent => Directory.CreateDirectory(Path.Join(parent, instance)).FullName).ToList();
        var (memoryGroup, cpuGroup) = (directories[0], directories[^1]);
        var group = new ReplicaGroup(directories);
        try
        {
            if (memory > 0)
            {
                Write(memoryGroup, _unified ? "memory.max" : "memory.limit_in_bytes", memory.ToString(CultureInfo.InvariantCulture));
            }

            if (nanoCpus > 0)
            {
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
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            group.TryDelete();
            throw;
        }

        return group;
    }

    /// <summary>Removes this gateway's group of groups if no replica's group is left in it.</summary>
    public void Release()
    {
        if (CanEnforce)
        {
            new ReplicaGroup(Parents).TryDelete();
        }
    }

    /// <summary>The memory group first; one directory when both controllers are in one hierarchy (v2).</summary>
    private string[] Parents => [.. new[] { _memoryParent!, _cpuParent! }.Distinct()];

    /// <summary>Makes the parents where they are missing (in v2 giving the controllers on to the groups below).</summary>
    private string[] MakeParents()
    {
        foreach (var parent in Parents)
        {
            Directory.CreateDirectory(parent);
            if (_unified)
            {
                Write(parent, "cgroup.subtree_control", Controllers);
            }
        }

        return Parents;
    }

    private static string EnforcedSummary(string version) => $"function limits (memory, CPU) are enforced: a control group per replica ({version})";

    /// <summary>
    /// cgroup v2 gives controllers only down from a group without processes of its own (the host's root excepted; a
    /// container's root is not the host's): the gateway moves into a leaf of its group first, as a delegated service
    /// does, then gives them. A group that holds other processes too is left as it was.
    /// </summary>
    private static void GiveControllers(string gateway)
    {
        if (File.ReadAllText(Path.Join(gateway, "cgroup.procs")).Trim().Length == 0)
        {
            Write(gateway, "cgroup.subtree_control", Controllers);
            return;
        }

        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Write(Directory.CreateDirectory(Path.Join(gateway, "faas-gateway")).FullName, "cgroup.procs", self);
        try
        {
            Write(gateway, "cgroup.subtree_control", Controllers);
        }
        catch (IOException error)
        {
            Write(gateway, "cgroup.procs", self);
            throw new IOException($"{gateway} holds processes besides the gateway, and cgroup v2 gives controllers only below a group without any; run the gateway in a group of its own (a systemd service with Delegate=yes): {error.Message}", error);
        }
    }

    private static void Write(string group, string file, string value) => File.WriteAllText(Path.Join(group, file), value);
}
