using System.Globalization;
using Faas.Posix;
using RabbitMQ.Client;

namespace Faas.Harness.Brokers;

/// <summary>
/// A real RabbitMQ (Debian's rabbitmq-server) on free 127.0.0.1 ports with its own node name, data directory, Erlang
/// port mapper (an <c>epmd</c> of its own in the foreground, so nothing outlives the test) and a user with a random
/// password, stopped by PID. <see cref="RestartAsync"/> stops it and starts it on the same ports and data, as a broker
/// restart would.
/// </summary>
public sealed class RabbitMqServerProcess : IAsyncDisposable
{
    public const string User = "faas";

    private readonly TempDirectory _root = new("faas-rabbitmq-");
    private readonly int _epmdPort = FreePort.Next();
    private readonly int _distributionPort = FreePort.Next();
    private ChildProcess? _epmd;
    private ChildProcess? _server;

    private RabbitMqServerProcess()
    {
        Port = FreePort.Next();
        Password = Guid.NewGuid().ToString("N");
    }

    public int Port { get; }

    public string Password { get; }

    public string Url => $"amqp://{User}:{Password}@127.0.0.1:{Port}/";

    public string Output => _server?.Output ?? "";

    public static string Executable => new[] { "/usr/lib/rabbitmq/bin/rabbitmq-server" }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("rabbitmq-server is not installed: run 'make test' (it installs the Debian package) or 'apt-get install rabbitmq-server'");

    public static async Task<RabbitMqServerProcess> StartAsync()
    {
        var server = new RabbitMqServerProcess();
        try
        {
            File.WriteAllText(server._root.Combine("rabbitmq.conf"), $"listeners.tcp.1 = 127.0.0.1:{server.Port}\ndefault_user = {User}\ndefault_pass = {server.Password}\n");
            File.WriteAllText(server._root.Combine("enabled_plugins"), "[].\n");
            server._epmd = ChildProcess.Start("epmd", ["-port", server._epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"]);
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client connection as tests publish and read with (the caller disposes it).</summary>
    public Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new Uri(Url) }.CreateConnectionAsync();

    public async Task StopAsync()
    {
        if (_server is not null)
        {
            // SIGTERM to the start script stops the node cleanly; that takes a few seconds.
            _server.Signal(15);
            await _server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartServerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_epmd is not null)
        {
            await _epmd.DisposeAsync();
        }

        _root.Dispose();
    }

    private async Task StartServerAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _root.Path,
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = $"faas{Port}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = _root.Combine("mnesia"),
            ["RABBITMQ_LOG_BASE"] = _root.Combine("log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_CONFIG_FILE"] = _root.Combine("rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = _root.Combine("enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = _root.Combine("rabbitmq.pid"),
        };
        _server = ChildProcess.Start(Executable, [], environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !_server.HasExited)
        {
            try
            {
                await using var connection = await ConnectAsync();
                return;
            }
            catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                await Task.Delay(250);
            }
        }

        throw new InvalidOperationException($"rabbitmq-server did not start on port {Port}: {_server.Output}");
    }
}
