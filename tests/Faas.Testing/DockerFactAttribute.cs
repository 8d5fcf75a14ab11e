using Faas.Harness;
using Xunit;

namespace Faas.Testing;

/// <summary>A fact that needs a Docker Engine (see <see cref="DockerAvailability"/>).</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute() => Skip = DockerAvailability.SkipReason;
}

/// <summary>A theory that needs a Docker Engine (see <see cref="DockerAvailability"/>).</summary>
public sealed class DockerTheoryAttribute : TheoryAttribute
{
    public DockerTheoryAttribute() => Skip = DockerAvailability.SkipReason;
}
