using Faas.Harness.Kubernetes;
using Xunit;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// One <see cref="KubeControlPlane"/> for a test assembly's Kubernetes collection (about 10 s to start on 2 cores);
/// each test makes its own namespaces. Not started where <see cref="KubeAvailability"/> says the tests are skipped.
/// </summary>
public sealed class KubeControlPlaneFixture : IAsyncLifetime
{
    private KubeControlPlane? _plane;

    public KubeControlPlane Plane => _plane ?? throw new InvalidOperationException(KubeAvailability.SkipReason ?? "the control plane did not start");

    public async Task InitializeAsync()
    {
        if (KubeAvailability.SkipReason is null)
        {
            _plane = await KubeControlPlane.StartAsync();
        }
        else
        {
            Console.WriteLine($"Kubernetes tests skipped: {KubeAvailability.SkipReason}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_plane is not null)
        {
            await _plane.DisposeAsync();
        }
    }
}
