using System.Net.Sockets;
using Faas.Posix;

namespace Faas.Harness;

/// <summary>
/// A real <c>nats-server -js</c> (Debian's package) on a free 127.0.0.1 port with its own JetStream store directory,
/// stopped by PID. <see cref="RestartAsync"/> stops it and starts it again on the same port and store, as a crash
/// and recovery would.
/// </summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    private readonly TempDirectory _store = new("faas-nats-");
    private readonly string[] _auth;
    private ChildProcess? _process;

    private NatsServerProcess(string[] auth)
    {
        _auth = auth;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public int Pid => Running.Pid;

    public string Output => _process?.Output ?? "";

    public static string Executable => new[] { "/usr/sbin/nats-server", "/usr/bin/nats-server" }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("nats-server is not installed: run 'make test' (it installs the Debian package) or 'apt-get install nats-server'");

    /// <param name="auth">Extra arguments such as <c>--user u --pass p</c> or <c>--auth TOKEN</c>.</param>
    public static async Task<NatsServerProcess> StartAsync(params string[] auth)
    {
        var server = new NatsServerProcess(auth);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A port and store for a server that is not running yet: <see cref="Url"/> refuses connections until <see cref="StartLaterAsync"/>.</summary>
    public static NatsServerProcess NotStarted() => new([]);

    public Task StartLaterAsync() => StartProcessAsync();

    public async Task StopAsync() => await Running.DisposeAsync();

    /// <summary>SIGKILL: no chance to flush anything, as a crash or a power cut.</summary>
    public async Task KillAsync()
    {
        Running.Signal(9);
        await Running.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Running.DisposeAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _store.Dispose();
    }

    private ChildProcess Running => _process ?? throw new InvalidOperationException("nats-server has not been started");

    private async Task StartProcessAsync()
    {
        _process = ChildProcess.Start(Executable, ["-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", _store.Path, .. _auth]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Running.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited: {Running.Output}");
            }

            if (Running.Output.Contains("Server is ready", StringComparison.Ordinal))
            {
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync("127.0.0.1", Port);
                    return;
                }
                catch (SocketException)
                {
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"nats-server did not become ready: {Running.Output}");
    }
}
