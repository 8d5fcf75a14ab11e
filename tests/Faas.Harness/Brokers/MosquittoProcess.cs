using System.Globalization;
using System.Net.Sockets;
using Faas.Posix;
using MQTTnet;

namespace Faas.Harness.Brokers;

/// <summary>
/// A real Mosquitto (Debian's mosquitto) on a free 127.0.0.1 port with persistence in a directory of its own, so
/// sessions and their queued QoS 1 messages survive <see cref="RestartAsync"/>, and one user with a random password
/// (no anonymous clients); stopped by PID.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly TempDirectory _root = new("faas-mosquitto-");
    private ChildProcess? _process;

    public const string User = "faas";

    private MosquittoProcess() => Port = FreePort.Next();

    public int Port { get; }

    public string Password { get; } = Guid.NewGuid().ToString("N");

    public string Url => $"mqtt://{User}:{Password}@127.0.0.1:{Port}";

    public string Output => _process?.Output ?? "";

    public static string Executable => new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("mosquitto is not installed: run 'make test' (it installs the Debian package) or 'apt-get install mosquitto'");

    public static async Task<MosquittoProcess> StartAsync()
    {
        var broker = new MosquittoProcess();
        var passwords = broker._root.Combine("passwords");
        await using (var hash = ChildProcess.Start("mosquitto_passwd", ["-c", "-b", passwords, User, broker.Password]))
        {
            if (!await hash.WaitForExitAsync(TimeSpan.FromSeconds(10)) || hash.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd failed: {hash.Output}");
            }
        }

        File.WriteAllText(broker._root.Combine("mosquitto.conf"), $"""
            listener {broker.Port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            user root
            persistence true
            persistence_location {broker._root.Path}/
            autosave_interval 1
            max_queued_messages 100000
            """);
        await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>A connected MQTT 5 client (the caller disposes it).</summary>
    public async Task<IMqttClient> ConnectAsync(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithCredentials(User, Password).WithClientId(clientId).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        return client;
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root.Dispose();
    }

    private async Task StartProcessAsync()
    {
        _process = ChildProcess.Start(Executable, ["-c", _root.Combine("mosquitto.conf")]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"mosquitto did not start on port {Port}: {_process.Output}");
    }
}
