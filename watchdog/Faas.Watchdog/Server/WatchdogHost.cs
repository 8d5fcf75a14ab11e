using Faas.Proxy.Http1;
using Faas.Watchdog.Config;
using Faas.Watchdog.FastPath;
using Faas.Watchdog.Health;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Metrics;
using Faas.Watchdog.Modes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Faas.Watchdog.Server;

/// <summary>
/// Runs the watchdog: Kestrel used directly with no generic host (start-up time is the point), the mode,
/// readiness, and the shutdown sequence. SIGTERM: report unhealthy, keep serving for
/// <c>healthcheck_interval</c> so routers notice, stop accepting, drain in-flight requests up to
/// <c>write_timeout</c>, then stop the function. SIGINT: the same without the wait, for a sender that routes nothing
/// here any more (a gateway stopping its local replicas, or Ctrl+C).
/// </summary>
internal sealed class WatchdogHost(WatchdogConfig config, Lifetime lifetime)
{
    /// <summary>Kestrel's default, set explicitly because the fast path enforces it too.</summary>
    private static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    private readonly WatchdogLog _log = new(config.PrefixLogs, config.LogInvocations);

    public async Task<int> RunAsync()
    {
        await using var log = _log;

        var mode = CreateMode();
        var health = new ReplicaHealth(config.LockFilePath, config.SuppressLock);
        var limiter = new ConcurrencyLimiter(config.MaxInflight);
        var metrics = new WatchdogMetrics();
        var policy = new RequestPolicy(config, health, limiter, metrics, _log);
        var application = new WatchdogApplication(config, mode, policy, metrics);

        using var fastPath = mode is HttpMode http && config.HttpFastPath
            ? new HttpModeFastPath(policy, http, _log, KeepAliveTimeout)
            : null;
        using var server = CreateServer(config, fastPath is null ? null : fastPath.Wrap);
        try
        {
            await server.StartAsync(application, CancellationToken.None);
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException)
        {
            throw ListenFailure(error);
        }

        using var idleMemory = new Faas.Proxy.IdleMemoryReturn(config.IdleMemoryCheck, TimeProvider.System, () => (limiter.Admitted, limiter.Inflight),
            (before, after) => _log.Invocation($"quiet again: heap returned, resident {before >> 20} MB -> {after >> 20} MB"));
        await idleMemory.StartAsync(CancellationToken.None);

        var startup = mode.StartAsync(CancellationToken.None);
        var first = await Task.WhenAny(startup, lifetime.Stopping);
        if (first == startup)
        {
            await startup;
            if (!lifetime.Stopping.IsCompleted)
            {
                health.MarkFunctionReady();
                ReadyReport.Send(config.ReadyDescriptor);
            }
        }

        var stop = await lifetime.Stopping;
        await idleMemory.StopAsync(CancellationToken.None);
        health.MarkShuttingDown();
        if (stop.WaitForRouters)
        {
            await Task.Delay(config.HealthcheckInterval);
        }

        if (stop.Drain)
        {
            _log.Info($"draining: {limiter.Inflight} request(s) in flight");
        }

        using (var drainDeadline = new CancellationTokenSource(stop.Drain ? config.WriteTimeout : TimeSpan.Zero))
        {
            await server.StopAsync(drainDeadline.Token);
        }

        await mode.StopAsync();
        (mode as IDisposable)?.Dispose();
        return stop.ExitCode;
    }

    /// <summary>A port that is taken or an address that is not this machine's, as a bad setting naming the variable.</summary>
    private ConfigException ListenFailure(Exception error)
    {
        if (error is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressNotAvailable })
        {
            return new ConfigException("listen_address", config.ListenAddress.ToString(), "an address of this machine, such as 127.0.0.1 or 0.0.0.0");
        }

        var (variable, port) = error.Message.Contains($":{config.MetricsPort}", StringComparison.Ordinal)
            ? ("metrics_port", config.MetricsPort)
            : ("port", config.Port);
        var value = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return error.InnerException is AddressInUseException
            ? new ConfigException(variable, value, $"a free port ({config.ListenAddress}:{port} is in use)")
            : new ConfigException(variable, value, $"a port this process may listen on ({error.Message})");
    }

    private IFunctionMode CreateMode() => config.Mode switch
    {
        WatchdogMode.Streaming => new StreamingMode(config, _log),
        WatchdogMode.Serializing => new SerializingMode(config, _log),
        WatchdogMode.Http => new HttpMode(config, _log, lifetime),
        WatchdogMode.Static => new StaticMode(config),
        _ => throw new InvalidOperationException($"unknown mode {config.Mode}"),
    };

    /// <param name="functionPortMiddleware">Connection middleware in front of Kestrel's HTTP handling on the function port.</param>
    internal static KestrelServer CreateServer(WatchdogConfig config, Func<ConnectionDelegate, ConnectionDelegate>? functionPortMiddleware = null)
    {
        var options = new KestrelServerOptions
        {
            AddServerHeader = false,
            ApplicationServices = new ServiceCollection().BuildServiceProvider(),
        };
        options.Limits.MaxRequestBodySize = null;
        options.Limits.RequestHeadersTimeout = config.ReadTimeout;
        options.Limits.MinRequestBodyDataRate = null;
        options.Limits.KeepAliveTimeout = KeepAliveTimeout;
        options.ResponseHeaderEncodingSelector = HeaderEncoding.Relayed;
        options.Listen(config.ListenAddress, config.Port, listen =>
        {
            if (functionPortMiddleware is not null)
            {
                listen.Use(functionPortMiddleware);
            }
        });
        options.Listen(config.ListenAddress, config.MetricsPort);

        // In http mode request continuations run on the socket I/O thread instead of being queued to the thread
        // pool (see InlineSocketCompletions). The fork modes start processes, which blocks briefly, so they keep the pool.
        // Reading straight into a buffer saves the zero-byte readiness probe (a MSG_PEEK recv, twice per request
        // when the next request has not arrived yet): 4 KB held per idle keep-alive connection instead.
        var transportOptions = new SocketTransportOptions
        {
            UnsafePreferInlineScheduling = config.Mode == WatchdogMode.Http,
            WaitForDataBeforeAllocatingBuffer = false,
        };
        var transport = new SocketTransportFactory(Options.Create(transportOptions), NullLoggerFactory.Instance);
        return new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
    }
}
