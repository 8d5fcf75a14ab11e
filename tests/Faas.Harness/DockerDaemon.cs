using System.Net.Sockets;
using Docker.DotNet;
using Faas.Docker;

namespace Faas.Harness;

/// <summary>
/// A Docker Engine for tests: the one at <c>$FAAS_DOCKER_SOCKET</c> or /var/run/docker.sock if it answers, else a
/// <c>dockerd</c> of our own (Debian's docker.io: vfs storage, no iptables, no bridge) on a temporary socket and data
/// root, stopped by PID and removed on dispose.
/// </summary>
public sealed class DockerDaemon : IAsyncDisposable
{
    private readonly TempDirectory? _root;
    private readonly ChildProcess? _process;

    private DockerDaemon(string socket, TempDirectory? root, ChildProcess? process)
    {
        Socket = socket;
        _root = root;
        _process = process;
    }

    public string Socket { get; }

    /// <summary>A Docker.DotNet client of this engine (the caller disposes it).</summary>
    public IDockerClient Client() => DockerEndpoint.Client(Socket);

    public static async Task<DockerDaemon> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable("FAAS_DOCKER_SOCKET") ?? "/var/run/docker.sock";
        if (await AnswersAsync(existing))
        {
            return new DockerDaemon(existing, null, null);
        }

        var dockerd = new[] { "/usr/sbin/dockerd", "/usr/bin/dockerd" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("dockerd is not installed: run 'make test' (it installs docker.io) or 'apt-get install docker.io'");
        var root = new TempDirectory("faas-dockerd-");
        var socket = root.Combine("docker.sock");
        var process = ChildProcess.Start(dockerd,
        [
            "--data-root", root.Combine("data"), "--exec-root", root.Combine("exec"), "--pidfile", root.Combine("docker.pid"),
            "-H", "unix://" + socket, "--storage-driver=vfs", "--iptables=false", "--bridge=none", "--containerd-namespace", "faas-test-" + Path.GetFileName(root.Path),
        ]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await AnswersAsync(socket))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = process.Output;
                await process.DisposeAsync();
                root.Dispose();
                throw new InvalidOperationException($"dockerd did not start: {output}");
            }

            await Task.Delay(100);
        }

        return new DockerDaemon(socket, root, process);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_root is not null)
        {
            // dockerd leaves its default network namespace bind-mounted under the exec root.
            foreach (var mountPoint in File.ReadAllLines("/proc/self/mounts").Select(line => line.Split(' ')[1]).Where(point => point.StartsWith(_root.Path, StringComparison.Ordinal)).Reverse())
            {
                await using var umount = ChildProcess.Start("umount", ["-l", mountPoint]);
                await umount.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            _root.Dispose();
        }
    }

    private static async Task<bool> AnswersAsync(string socket)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
