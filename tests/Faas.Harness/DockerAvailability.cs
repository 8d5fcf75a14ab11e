using System.Net.Sockets;

namespace Faas.Harness;

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
        var socket = Environment.GetEnvironmentVariable("FAAS_DOCKER_SOCKET") ?? "/var/run/docker.sock";
        return Decide(Environment.GetEnvironmentVariable("CI") is "true" or "1", socket, Answers(socket),
            File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd"), Environment.IsPrivilegedProcess);
    }

    /// <summary>The rule, apart from the machine: in CI never skip; else run if an engine answers or one can be started.</summary>
    public static string? Decide(bool ci, string socket, bool socketAnswers, bool dockerdInstalled, bool root) =>
        ci || socketAnswers || (dockerdInstalled && root)
            ? null
            : $"no Docker Engine answers on {socket} and dockerd cannot start here ({(dockerdInstalled ? "not root" : "not installed: apt-get install docker.io")})";

    private static bool Answers(string socket)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
