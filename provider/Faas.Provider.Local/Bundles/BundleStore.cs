using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Faas.Provider.Host.State;
using Faas.Provider.Local.State;
using Faas.Provider.Validation;

namespace Faas.Provider.Local.Bundles;

/// <summary>
/// Function bundles stored by the SHA-256 of their archive under <c>bundles/sha256/HEX</c>, unpacked once.
/// An archive is refused whole (nothing stored) if it is too large, not a gzipped tar, has entries that
/// leave its root (absolute paths, <c>..</c>, links, devices) or lacks a valid <c>faas-bundle.json</c>.
/// </summary>
internal sealed class BundleStore(StateDirectory state, long maxBytes) : IBundleStore
{
    public const string ManifestName = "faas-bundle.json";

    private const int PathMax = 4096;
    private const int NameMax = 255;
    private const UnixFileMode OpenDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public async Task<string> StoreBundleAsync(string name, Stream archive, CancellationToken cancellationToken)
    {
        var problem = NameRules.CheckLabel("bundle name", name);
        if (problem is not null)
        {
            throw ProviderException.Invalid(problem);
        }

        StateDirectory.EnsureDirectory(state.Bundles);
        var staging = Path.Combine(state.Bundles, ".staging-" + Guid.NewGuid().ToString("N"));
        var archivePath = staging + ".tar.gz";
        try
        {
            var digest = await CopyAndHashAsync(archive, archivePath, cancellationToken);
            await UnpackAsync(archivePath, staging, cancellationToken);
            ReadManifest(staging);
            var target = Path.Combine(state.Bundles, digest);
            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
            }

            return BundleReference.Format(name, digest);
        }
        finally
        {
            File.Delete(archivePath);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The unpacked directory and manifest of a stored bundle; Invalid if the reference is malformed or unknown.</summary>
    public (string Directory, BundleManifest Manifest) Resolve(string image)
    {
        var digest = BundleReference.Digest(image)
            ?? throw ProviderException.Invalid($"image \"{image}\" is not a bundle reference of the form bundle:NAME@sha256:HEX");
        var directory = Path.Combine(state.Bundles, digest);
        if (!Directory.Exists(directory))
        {
            throw ProviderException.Invalid($"bundle sha256:{digest} is not stored here: push it before deploying");
        }

        return (directory, ReadManifest(directory));
    }

    private async Task<string> CopyAndHashAsync(Stream archive, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await archive.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw ProviderException.Invalid($"bundle is larger than the limit of {maxBytes / (1024 * 1024)} MiB");
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task UnpackAsync(string archivePath, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory, OpenDirectory);
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        long unpacked = 0;
        try
        {
            await using var file = File.OpenRead(archivePath);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(directory, entry.Name)));
                if (Path.IsPathRooted(entry.Name) || !(target + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
                {
                    throw ProviderException.Invalid($"bundle entry \"{entry.Name}\" points outside the bundle");
                }

                if (CheckPlace(entry.Name, target, root) is { } problem)
                {
                    throw ProviderException.Invalid(problem);
                }

                try
                {
                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            if (File.Exists(target))
                            {
                                throw ProviderException.Invalid($"bundle entry \"{entry.Name}\" is a directory where the bundle already has a file");
                            }

                            Directory.CreateDirectory(target, OpenDirectory);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                            unpacked += entry.Length;
                            if (unpacked > maxBytes * 4)
                            {
                                throw ProviderException.Invalid($"bundle unpacks to more than {maxBytes * 4 / (1024 * 1024)} MiB");
                            }

                            if (Directory.Exists(target))
                            {
                                throw ProviderException.Invalid($"bundle entry \"{entry.Name}\" is a file where the bundle already has a directory");
                            }

                            Directory.CreateDirectory(Path.GetDirectoryName(target)!, OpenDirectory);
                            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
                            File.SetUnixFileMode(target, Readable(File.GetUnixFileMode(target)));
                            break;
                        case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                            break;
                        default:
                            throw ProviderException.Invalid($"bundle entry \"{entry.Name}\" is a {entry.EntryType}: only files and directories are allowed");
                    }
                }
                catch (IOException error) when (error is not EndOfStreamException)
                {
                    throw ProviderException.Invalid($"bundle entry \"{Shorten(entry.Name)}\" cannot be unpacked: {error.Message}");
                }
            }
        }
        catch (Exception error) when (error is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ProviderException.Invalid($"bundle is not a gzipped tar archive: {error.Message}");
        }
    }

    /// <summary>
    /// Why <paramref name="target"/> cannot be unpacked, or null: a name too long for the file system, or a path through a
    /// file.
    /// </summary>
    private static string? CheckPlace(string name, string target, string root)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(target) >= PathMax || target.Split('/').Any(part => System.Text.Encoding.UTF8.GetByteCount(part) > NameMax))
        {
            return $"bundle entry \"{Shorten(name)}\" has a path longer than the file system allows ({NameMax} bytes a name, {PathMax} in all)";
        }

        for (var parent = Path.GetDirectoryName(target); parent is not null && (parent + "/").StartsWith(root, StringComparison.Ordinal) && parent + "/" != root; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"bundle entry \"{name}\" is under \"{Path.GetRelativePath(root, parent)}\", which the bundle already has as a file";
            }
        }

        return null;
    }

    private static string Shorten(string name) => name.Length <= 80 ? name : name[..40] + "..." + name[^37..];

    /// <summary>
    /// A bundle's files are readable by everyone, and executable by everyone where the owner may run them, but never
    /// writable but by their owner: a sandboxed replica runs them as another user, and nothing may change them. What
    /// keeps them from other users is the state directory (0700) above them.
    /// </summary>
    private static UnixFileMode Readable(UnixFileMode mode)
    {
        const UnixFileMode executable = UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var read = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        return mode.HasFlag(UnixFileMode.UserExecute) ? read | UnixFileMode.UserExecute | executable : read;
    }

    private static BundleManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestName);
        if (!File.Exists(path))
        {
            throw ProviderException.Invalid($"bundle has no {ManifestName} at its root");
        }

        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllBytes(path), LocalJson.Default.BundleManifest);
        }
        catch (JsonException error)
        {
            throw ProviderException.Invalid($"{ManifestName} is not valid JSON: {error.Message}");
        }

        return manifest?.Fprocess is { Length: > 0 }
            ? manifest
            : throw ProviderException.Invalid($"{ManifestName} must name the command to run in \"fprocess\"");
    }
}
