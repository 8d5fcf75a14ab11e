namespace Faas.Provider.Local.State;

/// <summary>The layout of the state directory, and atomic writes into it. Directories are private (0700), files 0600.</summary>
public sealed class StateDirectory
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public StateDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        EnsureDirectory(Root);
        MakePrivate(Root);
    }

    public string Root { get; }

    public string Functions => Path.Combine(Root, "functions");

    public string FunctionDirectory(FunctionKey key) => Path.Combine(Functions, key.Namespace, key.Name);

    public string Secrets(string @namespace) => Path.Combine(Root, "secrets", @namespace);

    public string Bundles => Path.Combine(Root, "bundles", "sha256");

    public string Logs(FunctionKey key) => Path.Combine(Root, "logs", key.Namespace, key.Name + ".log");

    public string Replicas => Path.Combine(Root, "replicas");

    public string RunningReplicas => Path.Combine(Root, "run");

    /// <summary>Creates <paramref name="path"/> and every missing parent private (0700); the directory itself is made private if it existed.</summary>
    public static void EnsureDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent))
        {
            EnsureDirectory(parent);
        }

        var info = Directory.CreateDirectory(full, PrivateDirectory);
        info.UnixFileMode = PrivateDirectory;
    }

    /// <summary>
    /// Makes every directory of the state private, as earlier versions did not (they left <c>functions/</c>, <c>logs/</c>,
    /// ... at 0755). Unpacked bundles keep their own modes inside their private parent: sandboxed replicas read them.
    /// </summary>
    private void MakePrivate(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var info = new DirectoryInfo(child);
            if (info.LinkTarget is not null)
            {
                continue;
            }

            info.UnixFileMode = PrivateDirectory;
            if (child != Bundles && child != Replicas)
            {
                MakePrivate(child);
            }
        }
    }

    /// <summary>
    /// Writes a whole file or nothing: a temporary file renamed over the target, so a process killed at any
    /// moment leaves the old or the new content. No fsync: state must survive a process restart, and the fsync
    /// cost milliseconds on the scale-from-zero path.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = PrivateFile,
        }))
        {
            file.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
