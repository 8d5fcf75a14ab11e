using Faas.Harness.Kubernetes;
using Xunit;

namespace Faas.Testing.Kubernetes;

/// <summary>A fact that needs a real API server (see <see cref="KubeAvailability"/>).</summary>
public sealed class KubeFactAttribute : FactAttribute
{
    public KubeFactAttribute() => Skip = KubeAvailability.SkipReason;
}
