using Faas.Provider;

namespace Faas.Gateway.Connectors;

/// <summary>
/// What the RabbitMQ and MQTT connectors share: connect in the background with backoff (1 s doubling to 30 s, for
/// ever, never stopping the gateway), then every <see cref="RefreshInterval"/> make the broker's subscriptions match
/// the deployed functions' <c>topic</c> annotations, so deploy, update and delete take effect without a restart.
/// A connection that drops is reported in <see cref="Problem"/> and made again, with every subscription. A connector
/// that must be alone on its broker (<see cref="LeaderOnly"/>) is connected only on the gateway replica the backend
/// elected, and closed on one that stops being it.
/// </summary>
internal abstract partial class BrokerConnector(IFunctionProvider provider, ILogger log) : BackgroundService, IConnector
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private volatile string? _problem = "not connected yet";
    private bool _standingBy;

    public abstract string Name { get; }

    /// <summary>The broker's URL without credentials.</summary>
    public abstract string Broker { get; }

    public string? Problem => _problem is { } problem ? $"{Name} at {Broker}: {problem}" : null;

    /// <summary>Ends with the gateway: what message handling waits on.</summary>
    protected CancellationToken Stopping { get; private set; }

    protected abstract bool IsConnected { get; }

    /// <summary>Connected on the elected gateway replica only: its session on the broker is one of a kind.</summary>
    protected virtual bool LeaderOnly => false;

    /// <summary>Connects (throwing if it cannot) and forgets what was subscribed, so the next refresh subscribes everything.</summary>
    protected abstract Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Subscribes the functions of <paramref name="routes"/> and drops what no function asks for any more.</summary>
    protected abstract Task ApplyAsync(IReadOnlyList<ConnectorRoute> routes, CancellationToken cancellationToken);

    protected abstract ValueTask CloseAsync();

    /// <summary>For subclasses: the connection dropped (the next round reconnects).</summary>
    protected void ConnectionLost(string reason)
    {
        _problem = $"disconnected ({reason})";
        LogLost(log, Name, Broker, reason);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Stopping = stoppingToken;
        var backoff = FirstBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (LeaderOnly && !provider.IsLeader)
                {
                    await StandByAsync();
                    await Task.Delay(RefreshInterval, stoppingToken);
                    continue;
                }

                if (_standingBy)
                {
                    _standingBy = false;
                    LogTakingOver(log, Name, Broker);
                }

                if (!IsConnected)
                {
                    try
                    {
                        await ConnectAsync(stoppingToken);
                        _problem = null;
                        backoff = FirstBackoff;
                        LogConnected(log, Name, Broker);
                    }
                    catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        _problem = $"cannot connect ({error.Message})";
                        LogCannotConnect(log, Name, Broker, error.Message, backoff);
                        await Task.Delay(backoff, stoppingToken);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                        continue;
                    }
                }

                try
                {
                    await ApplyAsync(ConnectorRoute.For(await provider.ListAllAsync(stoppingToken), Name), stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The broker or the backend failed this round: what is subscribed stays, and the next round tries again.
                    LogRefreshFailed(log, Name, error.Message);
                }

                await Task.Delay(RefreshInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await CloseAsync();
        }
    }

    /// <summary>Not the elected replica: disconnected (so the leader's session is not taken from it) and not a problem.</summary>
    private async Task StandByAsync()
    {
        if (!_standingBy)
        {
            _standingBy = true;
            await CloseAsync();
            LogStandingBy(log, Name, Broker);
        }

        _problem = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Connector} stands by: another gateway replica, the elected one, holds the session at {Broker}")]
    private static partial void LogStandingBy(ILogger logger, string connector, string broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Connector} takes over the session at {Broker}: this gateway replica was elected")]
    private static partial void LogTakingOver(ILogger logger, string connector, string broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Connector} connected to {Broker}")]
    private static partial void LogConnected(ILogger logger, string connector, string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Connector} cannot connect to {Broker}: {Error}; trying again in {Delay}")]
    private static partial void LogCannotConnect(ILogger logger, string connector, string broker, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Connector} lost {Broker}: {Reason}; reconnecting")]
    private static partial void LogLost(ILogger logger, string connector, string broker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Connector} could not refresh its subscriptions: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string connector, string error);
}
