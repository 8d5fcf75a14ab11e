namespace Faas.Cli;

/// <summary>This repository's checkout (where <c>templates/</c> and <c>store/</c> ship), found above the executable or the current directory.</summary>
internal static class RepositoryRoot
{
    /// <summary>Every distinct checkout found: the executable's first, then the current directory's.</summary>
    public static IEnumerable<string> Find() =>
        new[] { AppContext.BaseDirectory, Environment.CurrentDirectory }
            .Select(start => Above(new DirectoryInfo(start)))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    private static string? Above(DirectoryInfo? directory)
    {
        for (; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FaaS.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
