using System.Reflection;

namespace Faas.Cli.BuiltIn;

/// <summary>
/// The templates and the store that ship inside the <c>faas</c> executable (embedded from <c>templates/</c> and
/// <c>store/</c> at build time), so an installed <c>faas</c> works from any directory. They are written out once per
/// build to <c>$XDG_CACHE_HOME/faas/builtin-BUILD/</c> (else <c>~/.cache</c>), because templates are read as files.
/// </summary>
internal static class BuiltInFiles
{
    private const string Prefix = "builtin/";

    private static readonly Lazy<string?> Root = new(Extract);

    /// <summary>The built-in <c>templates</c> folder, or null if it could not be written out.</summary>
    public static string? Templates => Root.Value is { } root ? Path.Combine(root, "templates") : null;

    /// <summary>The built-in store's <c>functions.json</c>, or null if it could not be written out.</summary>
    public static string? Store => Root.Value is { } root ? Path.Combine(root, "store", "functions.json") : null;

    private static string? Extract()
    {
        var assembly = typeof(BuiltInFiles).Assembly;
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var root = Path.Combine(cache, "faas", $"builtin-{assembly.ManifestModule.ModuleVersionId:N}");
        if (Directory.Exists(root))
        {
            return root;
        }

        // Written beside, then renamed into place: a concurrent or interrupted run never sees half the files.
        var staging = $"{root}.{Environment.ProcessId}.tmp";
        try
        {
            foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
            {
                var target = Path.Combine(staging, name[Prefix.Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var source = assembly.GetManifestResourceStream(name)!;
                using var file = File.Create(target);
                source.CopyTo(file);
            }

            Directory.Move(staging, root);
        }
        catch (IOException) when (Directory.Exists(root))
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"faas: could not write the built-in templates to {root}: {error.Message}");
            return null;
        }

        return root;
    }
}
