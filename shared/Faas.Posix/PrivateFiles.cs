namespace Faas.Posix;

/// <summary>Files and directories only their owner may read (0600, 0700), written whole or not at all.</summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and every missing parent private (0700); the directory itself is made private if it existed.</summary>
    public static void EnsureDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent))
        {
            EnsureDirectory(parent);
        }

        var info = Directory.CreateDirectory(full, DirectoryMode);
        info.UnixFileMode = DirectoryMode;
    }

    /// <summary>
    /// Writes a whole file or nothing: a temporary file renamed over the target, so a process killed at any moment
    /// leaves the old or the new content. No fsync: state must survive a process restart, and the fsync cost
    /// milliseconds on the scale-from-zero path.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = FileMode,
        }))
        {
            file.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
