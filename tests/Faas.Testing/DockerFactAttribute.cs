using System.Net.Sockets;
using Xunit;

namespace Faas.Testing;

/// <summary>
/// Whether Docker tests can run here. They need an engine: one answering on the socket, or a <c>dockerd</c> that
/// <see cref="DockerDaemon"/> can start (installed, and run as root). Where neither holds, Docker tests are reported
/// as skipped with that one line, except in CI (<c>CI=true</c>), where the engine must start and they always run.
/// </summary>
public static class DockerAvailability
{
    private static readonly Lazy<string?> Reason = new(Check);

    /// <summary>Null when Docker tests run; else why not.</summary>
    public static string? SkipReason => Reason.Value;

    private static string? Check()
    {
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
        {
            return null;
        }

        var socket = Environment.GetEnvironmentVariable("FAAS_DOCKER_SOCKET") ?? "/var/run/docker.sock";
        if (File.Exists(socket))
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                client.Connect(new UnixDomainSocketEndPoint(socket));
                return null;
            }
            catch (SocketException)
            {
            }
        }

        var installed = File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd");
        return installed && Environment.IsPrivilegedProcess
            ? null
            : $"no Docker Engine answers on {socket} and dockerd cannot start here ({(installed ? "not root" : "not installed: apt-get install docker.io")})";
    }
}

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
