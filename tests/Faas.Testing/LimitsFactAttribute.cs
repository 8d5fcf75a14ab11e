using Xunit;

namespace Faas.Testing;

/// <summary>
/// Whether the local backend's limits can be tested here: they need control groups the tests may make (root, and the
/// memory and CPU controllers mounted writable). Where they cannot be made the tests are reported as skipped with that
/// one line, except in CI (<c>CI=true</c>), where the runner is root and they always run.
/// </summary>
public static class LimitsAvailability
{
    public static string? SkipReason { get; } =
        Environment.GetEnvironmentVariable("CI") is "true" or "1" || (Environment.UserName == "root" && (File.Exists("/sys/fs/cgroup/cgroup.controllers") || Directory.Exists("/sys/fs/cgroup/memory")))
            ? null
            : "control groups cannot be made here (not root, or no cgroup file system): the local backend cannot enforce limits";
}

/// <summary>A fact about the local backend's limits (see <see cref="LimitsAvailability"/>).</summary>
public sealed class LimitsFactAttribute : FactAttribute
{
    public LimitsFactAttribute() => Skip = LimitsAvailability.SkipReason;
}

/// <summary>A theory about the local backend's limits (see <see cref="LimitsAvailability"/>).</summary>
public sealed class LimitsTheoryAttribute : TheoryAttribute
{
    public LimitsTheoryAttribute() => Skip = LimitsAvailability.SkipReason;
}
