using NATS.Client.Core;
using NATS.Client.Hosting;

namespace Faas.Gateway.Messaging;

/// <summary>
/// The gateway's one NATS connection (NATS.Net), shared by the async queue and the topic triggers. It connects in the
/// background and keeps reconnecting with backoff, so NATS being down, late or gone for a while degrades async
/// invocation and topic triggers (503s, a health detail, a metric) and never the gateway's start or its sync traffic.
/// </summary>
internal sealed partial class NatsLink : BackgroundService
{
    private readonly NatsConnection _connection;
    private readonly ILogger<NatsLink> _log;
    private volatile string? _lastError = "not connected yet";
    private volatile TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NatsLink(NatsConnection connection, ILogger<NatsLink> log)
    {
        _connection = connection;
        _log = log;
        Server = Connectors.BrokerUrl.WithoutCredentials(connection.Opts.Url);
        _connection.ConnectionOpened += (_, _) =>
        {
            _lastError = null;
            _opened.TrySetResult();
            LogConnected(_log, Server);
            return ValueTask.CompletedTask;
        };
        _connection.ConnectionDisconnected += (_, args) =>
        {
            _lastError = $"disconnected ({args.Message})";
            if (_opened.Task.IsCompleted)
            {
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            LogDisconnected(_log, Server, args.Message);
            return ValueTask.CompletedTask;
        };
        _connection.ReconnectFailed += (_, args) =>
        {
            _lastError = $"cannot connect ({args.Message})";
            return ValueTask.CompletedTask;
        };
    }

    public INatsConnection Connection => _connection;

    /// <summary>The server it connects to, as it may be logged: without user, password or token.</summary>
    public string Server { get; }

    public bool IsConnected => _connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>Null while connected; else what is wrong, in a few words naming the server.</summary>
    public string? Problem => IsConnected ? null : $"NATS at {Server}: {_lastError ?? "not connected"}";

    /// <summary>Returns once connected; throws <see cref="OperationCanceledException"/> if <paramref name="cancellationToken"/> ends the wait first.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (!IsConnected)
        {
            await _opened.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Registers the connection (NATS.Client.Hosting) and this link, which opens it in the background.</summary>
    public static void Register(IServiceCollection services, string url)
    {
        services.AddNats(configureOpts: options => options with
        {
            Url = url,
            Name = "faas-gateway",

            // Never give up, and never block start-up: the first connection is retried like any reconnection.
            RetryOnInitialConnect = true,
            MaxReconnectRetry = -1,
            ReconnectWaitMax = TimeSpan.FromSeconds(5),

            // A publish while disconnected fails after CommandTimeout instead of waiting for the server indefinitely.
            PublishTimeoutOnDisconnected = true,
        });
        services.AddSingleton<NatsLink>();
        services.AddHostedService(provider => provider.GetRequiredService<NatsLink>());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogConnecting(_log, Server);

        // With RetryOnInitialConnect this completes once connected; until then the client retries with backoff.
        await Task.WhenAny(_connection.ConnectAsync().AsTask(), Task.Delay(Timeout.Infinite, stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to NATS at {Server} in the background")]
    private static partial void LogConnecting(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to NATS at {Server}")]
    private static partial void LogConnected(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from NATS at {Server}: {Reason}; reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string server, string reason);
}
