using System.Reflection;

namespace Faas.Provider.Wire;

/// <summary>
/// The version the build stamped into an assembly: the project's release (<c>Version</c> in Directory.Build.props) and
/// the git commit it was built from (the SDK appends it to the informational version as <c>+SHA</c>).
/// </summary>
public static class BuildVersion
{
    /// <summary>Said when the sources were not a git checkout (an archive), so the commit is not known.</summary>
    public const string UnknownCommit = "unknown";

    public static VersionInfo Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return new VersionInfo
        {
            Release = plus < 0 ? informational : informational[..plus],
            Sha = plus < 0 ? UnknownCommit : informational[(plus + 1)..],
        };
    }
}
