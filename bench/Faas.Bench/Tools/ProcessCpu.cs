using System.Globalization;

namespace Faas.Bench.Tools;

/// <summary>
/// The CPU time a process has used, from /proc, with its children that run the same program: nginx's workers beside
/// their master. A watchdog's function or a gateway's replicas run other programs and are not counted, so a path's
/// figure is its hop's alone. Unlike req/s, CPU per request hardly moves with the other load on a shared machine.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>/proc gives times in USER_HZ, which Linux fixes at 100 per second for user space.</summary>
    private const double TicksPerSecond = 100;

    public readonly record struct Sample(double UserSeconds, double SystemSeconds);

    public static Sample Read(int pid)
    {
        var program = Program(pid);
        var (user, system) = Ticks(pid) ?? (0, 0);
        foreach (var child in Children(pid))
        {
            if (program is not null && Program(child) == program && Ticks(child) is var (childUser, childSystem))
            {
                user += childUser;
                system += childSystem;
            }
        }

        return new(user / TicksPerSecond, system / TicksPerSecond);
    }

    /// <summary>utime and stime (fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces).</summary>
    private static (long User, long System)? Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture), long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(child => int.Parse(child, CultureInfo.InvariantCulture)));
            }
        }
        catch (IOException)
        {
            // The process or one of its threads exited while being read: its children are counted as none.
        }

        return children;
    }

    private static string? Program(int pid)
    {
        try
        {
            return File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: false)?.FullName;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
