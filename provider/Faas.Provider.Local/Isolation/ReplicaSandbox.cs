using System.Diagnostics;
using System.Globalization;
using Faas.Posix;

namespace Faas.Provider.Local.Isolation;

/// <summary>
/// Keeps a replica away from the host: bubblewrap gives it its own PID, IPC and mount namespaces, where the host's
/// file system is read-only, home directories, <c>/run</c>, <c>/var</c> and the state directory are hidden (by empty
/// directories of one page), <c>/tmp</c> is its own (in memory, of <see cref="LocalProviderOptions.TmpfsBytes"/>), its
/// files are at <see cref="AppDirectory"/> (read-only) and only its own secrets at <see cref="SecretsDirectory"/>. A
/// gateway running as root also gives replicas an unprivileged user (the watchdog leaves root first thing,
/// <c>FAAS_RUN_AS</c>), so file permissions protect what the mounts do not. The watchdog is the namespace's PID 1, as
/// in a container: when it exits, by a signal or a crash, the kernel ends every process the function left behind.
/// Where bubblewrap is missing or cannot make namespaces, replicas run unsandboxed (with a clean environment) and
/// <see cref="Summary"/> says so. The network namespace stays the host's: the gateway reaches replicas on loopback
/// ports, and functions reach the services they call.
/// </summary>
internal sealed class ReplicaSandbox
{
    public const string AppDirectory = "/home/app";
    public const string SecretsDirectory = "/var/openfaas/secrets";
    public const string TempDirectory = "/tmp";

    /// <summary>
    /// The size of each empty directory that hides the host's: one page. The mount points made in them take none of
    /// it, and under a gateway that is not root they belong to the function's (mapped) user, who could otherwise fill
    /// each with up to half the host's memory. (Remounting them read-only instead cost 1 ms of every replica's start.)
    /// </summary>
    private const string HiddenDirectorySize = "4096";

    /// <summary>Host directories a function never sees (each replaced by an empty one), where they exist.</summary>
    private static readonly string[] HiddenDirectories = ["/root", "/home", "/run", "/var", "/tmp", "/mnt", "/media", "/srv"];

    private readonly string? _bubblewrap;
    private readonly bool _switchUser;
    private readonly LocalProviderOptions _options;
    private readonly FunctionUser _user;

    /// <summary>Whether bubblewrap can size a tmpfs and set its mode (0.8 and later): the function's /tmp is then its own.</summary>
    private readonly bool _sizedTmpfs;

    private ReplicaSandbox(LocalProviderOptions options, string? bubblewrap, string summary, bool sizedTmpfs = true)
    {
        _options = options;
        _bubblewrap = bubblewrap;
        _sizedTmpfs = sizedTmpfs;
        _switchUser = bubblewrap is not null && FileOwner.IsRoot;
        _user = FunctionUser.Parse(options.FunctionUser);
        Summary = summary;
    }

    /// <summary>Whether replicas run in namespaces of their own.</summary>
    public bool IsIsolated => _bubblewrap is not null;

    /// <summary>The user replicas run as when it is not the provider's own (the provider runs as root).</summary>
    public FunctionUser? User => _switchUser ? _user : null;

    /// <summary>One line for the start-up log: how replicas are isolated, or why they are not.</summary>
    public string Summary { get; }

    /// <summary>Finds bubblewrap and checks that a sandbox can really be made here.</summary>
    public static ReplicaSandbox Detect(LocalProviderOptions options)
    {
        if (!options.Sandbox)
        {
            return new ReplicaSandbox(options, null, "functions are not sandboxed (the local backend's sandbox is turned off): they run as the gateway's user");
        }

        var bubblewrap = FindOnPath("bwrap");
        if (bubblewrap is null)
        {
            return new ReplicaSandbox(options, null, "functions are not sandboxed: bwrap was not found (apt-get install bubblewrap); they run as the gateway's user and can read what it can");
        }

        if (new ReplicaSandbox(options, bubblewrap, "").Probe() is not { } problem)
        {
            return new ReplicaSandbox(options, bubblewrap, SandboxedSummary(options));
        }

        // Before 0.8 bubblewrap can neither size a tmpfs nor set its mode: the function's /tmp is then a directory of
        // the state (on the host's disk, without a size), and the start-up line says so.
        return new ReplicaSandbox(options, bubblewrap, "", sizedTmpfs: false).Probe() is null
            ? new ReplicaSandbox(options, bubblewrap, $"{SandboxedSummary(options)}; /tmp is a directory of the state, without a size (this bubblewrap cannot size a tmpfs: {problem})", sizedTmpfs: false)
            : new ReplicaSandbox(options, null, $"functions are not sandboxed: bubblewrap cannot make namespaces here ({problem}); they run as the gateway's user");
    }

    private static string SandboxedSummary(LocalProviderOptions options) => FileOwner.IsRoot
        ? $"functions are sandboxed: own PID, IPC and mount namespaces (bubblewrap), user {options.FunctionUser}; the host's network is shared"
        : "functions are sandboxed: own user, PID, IPC and mount namespaces (bubblewrap), the gateway's user mapped; the host's network is shared";

    /// <summary>
    /// Rewrites <paramref name="info"/> (the watchdog, its environment already set) to start inside a sandbox with
    /// <paramref name="mounts"/>; the environment passes through unchanged.
    /// </summary>
    public void Enter(ProcessStartInfo info, SandboxMounts mounts)
    {
        if (_bubblewrap is null)
        {
            return;
        }

        var command = new List<string>();
        AddNamespaceArguments(command);
        AddHostView(command, mounts.StateDirectory);
        if (!_sizedTmpfs)
        {
            command.AddRange(["--bind", mounts.Temporary, TempDirectory]);
        }

        Bind(command, "--ro-bind", mounts.App, AppDirectory);
        Bind(command, "--ro-bind", mounts.Secrets, SecretsDirectory);
        command.AddRange(["--chdir", AppDirectory]);

        // Inside, HOME and TMPDIR are the sandbox's /tmp; bubblewrap's own process keeps the host path, so the replica's
        // processes can be told apart from the host by their directory (as an unsandboxed replica's can).
        command.AddRange(["--setenv", "HOME", TempDirectory, "--setenv", "TMPDIR", TempDirectory]);
        info.Environment["HOME"] = mounts.Temporary;
        info.Environment["TMPDIR"] = mounts.Temporary;
        if (_switchUser)
        {
            // The watchdog leaves root as its first step, before it reads the function's variables (an exec of
            // setpriv in front of it cost 4 ms of every cold start); bubblewrap has set no_new_privs.
            info.Environment["FAAS_RUN_AS"] = _user.ToString();
        }

        command.Add("--");
        command.Add(info.FileName);
        command.AddRange(info.ArgumentList);
        info.FileName = _bubblewrap;
        info.ArgumentList.Clear();
        foreach (var argument in command)
        {
            info.ArgumentList.Add(argument);
        }
    }

    /// <summary>Hands a directory the function must write (its <c>/tmp</c>) or read (its secrets) to the function's user.</summary>
    public void GiveToFunction(string path)
    {
        if (User is { } user)
        {
            FileOwner.Change(path, user.Uid, user.Gid);
        }
    }

    /// <summary>
    /// The PID, as the host sees it, of the watchdog started by <see cref="Enter"/> under bubblewrap at
    /// <paramref name="outerPid"/> (its child); null if it is not running.
    /// </summary>
    public int? InnerPid(int outerPid) => _bubblewrap is null ? outerPid : FirstChild(outerPid);

    private static int? FirstChild(int pid)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return children.Length > 0 && int.TryParse(children[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child) ? child : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void AddNamespaceArguments(List<string> command) =>
        command.AddRange(["--unshare-pid", "--as-pid-1", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]);

    /// <summary>The host read-only, with what is private to others hidden; what the function runs from shown again.</summary>
    private void AddHostView(List<string> command, string stateDirectory)
    {
        command.AddRange(["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]);
        foreach (var hidden in HiddenDirectories.Where(Directory.Exists))
        {
            // The function's own /tmp, in memory and of a set size: the host's disk is not its to fill.
            command.AddRange(!_sizedTmpfs ? ["--tmpfs", hidden]
                : hidden == TempDirectory ? ["--perms", "01777", "--size", _options.TmpfsBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", hidden]
                : ["--size", HiddenDirectorySize, "--tmpfs", hidden]);
        }

        command.AddRange(["--symlink", TempDirectory, "/var/tmp"]);
        foreach (var path in _options.SandboxReadOnlyPaths.Append(Path.GetDirectoryName(_options.WatchdogPath)!).Where(Path.Exists).Distinct(StringComparer.Ordinal))
        {
            Bind(command, "--ro-bind", path, path);
        }

        if (RealPath.Resolve("/etc/resolv.conf") is { } resolver && resolver != "/etc/resolv.conf" && HiddenDirectories.Any(hidden => IsUnder(resolver, hidden)))
        {
            Bind(command, "--ro-bind", resolver, resolver);
        }

        // Last, so that no path shown again above reveals it.
        if (!HiddenDirectories.Any(hidden => IsUnder(stateDirectory, hidden)))
        {
            command.AddRange(_sizedTmpfs ? ["--size", HiddenDirectorySize, "--tmpfs", stateDirectory] : ["--tmpfs", stateDirectory]);
        }
    }

    /// <summary>
    /// Binds <paramref name="source"/> at <paramref name="destination"/>. Directories bubblewrap makes on the way are
    /// private (0700) and the function's user could not pass them, so those inside a hidden directory are made first, open.
    /// </summary>
    private static void Bind(List<string> command, string kind, string source, string destination)
    {
        var parents = new List<string>();
        for (var parent = Path.GetDirectoryName(destination); parent is not null && !HiddenDirectories.Contains(parent); parent = Path.GetDirectoryName(parent))
        {
            if (HiddenDirectories.Any(hidden => IsUnder(parent, hidden)))
            {
                parents.Add(parent);
            }
        }

        foreach (var parent in Enumerable.Reverse(parents))
        {
            command.AddRange(["--perms", "0755", "--dir", parent]);
        }

        command.AddRange([kind, source, destination]);
    }

    /// <summary>Runs <c>true</c> in a sandbox like a replica's; null if that worked, else what went wrong.</summary>
    private string? Probe()
    {
        var empty = Directory.CreateTempSubdirectory("faas-sandbox-probe-");
        try
        {
            var info = new ProcessStartInfo("/bin/true") { RedirectStandardError = true, UseShellExecute = false };
            Enter(info, new SandboxMounts(empty.FullName, empty.FullName, empty.FullName, empty.FullName));
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : (error.Length > 0 ? error.Split('\n')[0] : $"exit code {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return error.Message;
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static bool IsUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
