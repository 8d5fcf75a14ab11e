using Faas.Posix;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Host.State;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// A replica's own directory under <c>replicas/</c>: <c>tmp/</c> (its <c>TMPDIR</c> when it runs unsandboxed; a sandbox
/// has a <c>/tmp</c> of its own in memory, and only bubblewrap's process is told this one), <c>app/</c> (its files when
/// they are not a bundle's, or a standby's until it is assigned) and <c>secrets/</c> (a standby's secrets once assigned).
/// Deleted when the replica exits.
/// </summary>
internal sealed class ReplicaDirectory
{
    private ReplicaDirectory(string root) => Root = root;

    public string Root { get; }

    public string Temporary => Path.Combine(Root, "tmp");

    public string App => Path.Combine(Root, "app");

    public string Secrets => Path.Combine(Root, "secrets");

    public static ReplicaDirectory Create(string root, ReplicaSandbox sandbox)
    {
        var directory = new ReplicaDirectory(root);
        foreach (var path in new[] { directory.Temporary, directory.App, directory.Secrets })
        {
            StateDirectory.EnsureDirectory(path);
            sandbox.GiveToFunction(path);
        }

        return directory;
    }

    /// <summary>
    /// Puts a function's files and secrets where a standby's sandbox already sees them: the files as hard links (no
    /// copy, so assignment stays fast), falling back to copies across file systems; the secrets as copies.
    /// </summary>
    public void Fill(string? files, string secrets, ReplicaSandbox sandbox)
    {
        if (files is not null)
        {
            LinkTree(files, App);
        }

        foreach (var secret in Directory.EnumerateFiles(secrets))
        {
            var target = Path.Combine(Secrets, Path.GetFileName(secret));
            File.Copy(secret, target, overwrite: true);
            sandbox.GiveToFunction(target);
        }
    }

    public void Delete()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void LinkTree(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var created = Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
            created.UnixFileMode = File.GetUnixFileMode(directory);
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var link = Path.Combine(target, Path.GetRelativePath(source, file));
            if (!HardLink.TryCreate(file, link))
            {
                File.Copy(file, link);
            }
        }

        File.SetUnixFileMode(target, File.GetUnixFileMode(source));
    }
}
