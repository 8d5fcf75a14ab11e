using Faas.Posix;

namespace Faas.Provider.Host.State;

/// <summary>The layout of the state directory, and atomic writes into it. Directories are private (0700), files 0600.</summary>
public sealed class StateDirectory
{
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

    /// <summary>Creates <paramref name="path"/> and every missing parent private (0700).</summary>
    public static void EnsureDirectory(string path) => PrivateFiles.EnsureDirectory(path);

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

            info.UnixFileMode = PrivateFiles.DirectoryMode;
            if (child != Bundles && child != Replicas)
            {
                MakePrivate(child);
            }
        }
    }

    /// <summary>Writes a private file whole or not at all (see <see cref="PrivateFiles.WriteAtomically"/>).</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content) => PrivateFiles.WriteAtomically(path, content);
}
