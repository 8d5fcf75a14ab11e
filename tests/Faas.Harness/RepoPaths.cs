namespace Faas.Harness;

/// <summary>Where the repository and its built executables are, for tests that run the real binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built in (Debug or Release), so they run matching binaries.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The watchdog executable: <c>FAAS_WATCHDOG_BIN</c> if set (for example a published build), else the build output.</summary>
    public static string Watchdog => Environment.GetEnvironmentVariable("FAAS_WATCHDOG_BIN") ?? Built("watchdog/Faas.Watchdog", "watchdog");

    public static string TestUpstream => Built("tests/Faas.TestUpstream", "test-upstream");

    public static string Built(string projectDirectory, string assemblyName)
    {
        var path = Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyName} is not built; run 'dotnet build' first", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FaaS.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"FaaS.sln not found above {AppContext.BaseDirectory}");
    }
}
