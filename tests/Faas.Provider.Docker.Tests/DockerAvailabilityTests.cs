
namespace Faas.Provider.Docker.Tests;

public sealed class DockerAvailabilityTests
{
    [Theory]
    [InlineData(false, false, false, false, "no Docker Engine answers on /run/docker.sock and dockerd cannot start here (not installed: apt-get install docker.io)")]
    [InlineData(false, false, true, false, "no Docker Engine answers on /run/docker.sock and dockerd cannot start here (not root)")]
    [InlineData(false, true, false, false, null)]
    [InlineData(false, false, true, true, null)]
    [InlineData(true, false, false, false, null)]
    public void Docker_tests_skip_with_one_line_only_where_no_engine_can_run_and_never_in_ci(bool ci, bool answers, bool installed, bool root, string? reason) =>
        Assert.Equal(reason, DockerAvailability.Decide(ci, "/run/docker.sock", answers, installed, root));
}
