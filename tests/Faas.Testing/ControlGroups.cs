namespace Faas.Testing;

/// <summary>Where a process sits in the control groups, read from /proc and /sys/fs/cgroup (v1 or v2).</summary>
public static class ControlGroups
{
    public static bool IsUnified => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <summary>The directory of <paramref name="pid"/>'s group for <paramref name="controller"/> (v2: its one group); null if none is named.</summary>
    public static string? DirectoryOf(int pid, string controller)
    {
        var groups = File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)).Where(parts => parts.Length == 3).ToList();
        return IsUnified
            ? groups.FirstOrDefault(parts => parts[0] == "0") is { } unified ? Path.Join("/sys/fs/cgroup", unified[2]) : null
            : groups.FirstOrDefault(parts => parts[1].Split(',').Contains(controller)) is { } mounted ? Path.Join("/sys/fs/cgroup", controller, mounted[2]) : null;
    }
}
