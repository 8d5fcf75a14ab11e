using Xunit;

namespace Faas.Testing;

/// <summary>
/// Whether the local backend's sandbox can be tested here: it needs bubblewrap (Debian's <c>bubblewrap</c>). Where it is
/// missing the tests are reported as skipped with that one line, except in CI (<c>CI=true</c>), where it is installed and
/// they always run.
/// </summary>
public static class SandboxAvailability
{
    public static string? SkipReason { get; } =
        Environment.GetEnvironmentVariable("CI") is "true" or "1" || File.Exists("/usr/bin/bwrap")
            ? null
            : "bubblewrap is not installed (apt-get install bubblewrap): the local backend cannot sandbox functions here";
}

/// <summary>A fact about the local backend's sandbox (see <see cref="SandboxAvailability"/>).</summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute() => Skip = SandboxAvailability.SkipReason;
}
