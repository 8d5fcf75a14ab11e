using Faas.Harness.Kubernetes;
using Xunit;

namespace Faas.Testing.Kubernetes;

/// <summary>A fact that needs a real API server (see <see cref="KubeAvailability"/>), and bubblewrap too with <see cref="NeedsSandbox"/>.</summary>
public sealed class KubeFactAttribute : FactAttribute
{
    public KubeFactAttribute() => Skip = KubeAvailability.SkipReason;

    /// <summary>The test runs a process in a mount namespace of its own (see <see cref="SandboxAvailability"/>).</summary>
    public bool NeedsSandbox
    {
        get => field;
        set
        {
            field = value;
            Skip = KubeAvailability.SkipReason ?? (value ? SandboxAvailability.SkipReason : null);
        }
    }
}
