using System.Globalization;

namespace Faas.Harness;

/// <summary>Live processes read from /proc, to prove by PID that nothing a test started is left running.</summary>
public static class ProcessTable
{
    /// <summary>PIDs of live (non-zombie) processes whose environment has a variable <paramref name="name"/> whose value starts with <paramref name="valuePrefix"/>.</summary>
    public static IReadOnlyList<int> WithEnvironment(string name, string valuePrefix)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText($"/proc/{pid}/environ").Split('\0').Any(entry => entry.StartsWith($"{name}={valuePrefix}", StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Live processes whose parent is <paramref name="parentPid"/>.</summary>
    public static IReadOnlyList<int> ChildrenOf(int parentPid)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                StatFields($"/proc/{pid}/stat") is { } fields && fields[0] != "Z" && fields[1] == parentPid.ToString(CultureInfo.InvariantCulture))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>Live processes below <paramref name="ancestorPid"/>: its children, their children, and so on.</summary>
    public static IReadOnlyList<int> DescendantsOf(int ancestorPid)
    {
        var found = new List<int>();
        var next = new Queue<int>([ancestorPid]);
        while (next.TryDequeue(out var pid))
        {
            foreach (var child in ChildrenOf(pid))
            {
                found.Add(child);
                next.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>The parent of <paramref name="pid"/>, or null if it is gone.</summary>
    public static int? ParentOf(int pid) =>
        StatFields($"/proc/{pid}/stat") is { } fields ? int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture) : null;

    /// <summary>The program a process runs (the target of /proc/PID/exe), or null if it is gone or hidden.</summary>
    public static string? Executable(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How many inotify watches a process holds: the "inotify wd:" lines of its /proc/PID/fdinfo files.</summary>
    public static int InotifyWatches(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fdinfo").Sum(file =>
        {
            try
            {
                return File.ReadLines(file).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return 0; // closed since it was listed
            }
        });

    /// <summary>The pipes a process holds an end of, as /proc names them (<c>pipe:[INODE]</c>), one entry per descriptor.</summary>
    public static IReadOnlyList<string> OpenPipes(int pid) => Pipes(Directory.EnumerateFiles($"/proc/{pid}/fd"));

    /// <summary>The pipes among a process's standard input, output and error, named as <see cref="OpenPipes"/> names them.</summary>
    public static IReadOnlyList<string> StandardStreamPipes(int pid) => Pipes([$"/proc/{pid}/fd/0", $"/proc/{pid}/fd/1", $"/proc/{pid}/fd/2"]);

    private static List<string> Pipes(IEnumerable<string> descriptors) =>
        [.. descriptors.Select(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null; // closed since it was listed
            }
        }).OfType<string>().Where(target => target.StartsWith("pipe:", StringComparison.Ordinal))];

    /// <summary>The fields of a stat file after "PID (COMMAND) ", or null if it is gone.</summary>
    internal static string[]? StatFields(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }
}
