namespace Faas.Watchdog.Config;

/// <summary>
/// Finds a program on PATH once, at start-up, so each fork runs it by absolute path instead of trying every
/// PATH entry per request (eight failed execve calls per invocation on a typical PATH).
/// </summary>
internal static class ExecutableSearch
{
    public static string? Resolve(string program, string? path)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        foreach (var directory in (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
