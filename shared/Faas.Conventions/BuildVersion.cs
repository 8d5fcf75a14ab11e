using System.Reflection;

namespace Faas.Conventions;

/// <summary>
/// The version the build stamped into an assembly: the project's release (<c>Version</c> in Directory.Build.props) and
/// the git commit it was built from (the SDK appends it to the informational version as <c>+SHA</c>).
/// </summary>
public sealed record BuildVersion(string Release, string Commit)
{
    /// <summary>Said when the sources were not a git checkout (an archive), so the commit is not known.</summary>
    public const string UnknownCommit = "unknown";

    public static BuildVersion Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? new BuildVersion(informational, UnknownCommit) : new BuildVersion(informational[..plus], informational[(plus + 1)..]);
    }

    public override string ToString() => $"{Release} (commit {Commit})";
}
