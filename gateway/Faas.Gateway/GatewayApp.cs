using Faas.Gateway.Admin;
using Faas.Gateway.Async;
using Faas.Gateway.Async.JetStream;
using Faas.Gateway.Calls;
using Faas.Gateway.Configuration;
using Faas.Gateway.Connectors;
using Faas.Gateway.Dashboard;
using Faas.Gateway.Http;
using Faas.Gateway.Invoke;
using Faas.Gateway.Invoke.FastPath;
using Faas.Gateway.Invoke.Forwarding;
using Faas.Gateway.Messaging;
using Faas.Gateway.Metrics;
using Faas.Gateway.Scaling;
using Faas.Gateway.Security;
using Faas.Gateway.Store;
using Faas.Gateway.Triggers;
using Faas.Provider;
#if !FAAS_LOCAL_ONLY
using Faas.Provider.Docker;
using Faas.Provider.Kubernetes;
#endif
using Faas.Provider.Local;
using Faas.Proxy;
using Faas.Proxy.Http1;
using Faas.Proxy.Upstream;

namespace Faas.Gateway;

/// <summary>Builds the gateway: a backend (local processes by default, Docker or Kubernetes), the admin API, the invoke proxy.</summary>
internal static partial class GatewayApp
{
    /// <summary>Builds the gateway and starts its backend (a <see cref="Faas.Provider.ProviderStartException"/> if it cannot), ready to run.</summary>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<GatewayOptions>? configure = null, Action<AsyncOptions>? configureAsync = null)
    {
        // Settings are read once. ASP.NET's default reloads appsettings*.json on change by watching the content root (the
        // working directory) recursively: one inotify watch per directory under wherever the gateway was started, and
        // a wake-up for every file written there, the functions' logs included when the state directory is inside it.
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.ResponseHeaderEncodingSelector = HeaderEncoding.Relayed;

            // Neither path names the server (nor does OpenFaaS' gateway); the fast path's answers carry no Server field.
            kestrel.AddServerHeader = false;
        });

        // With inline socket completions (Program turns them on) requests are handled on the socket thread that read
        // them, not queued to the pool once more. Reading straight into a buffer saves the zero-byte readiness probe,
        // a syscall per request, for 4 KB held per idle keep-alive connection.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = InlineSocketCompletions.Enabled;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });

        // ASP.NET logs every request at Information: a cost per invocation. Configuration can turn it back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Hosting opens a log scope per request whenever its category is enabled at all, and a scope is an AsyncLocal:
        // a new ExecutionContext per request that every await then carries. It logs nothing but request start and end.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        if (Environment.GetEnvironmentVariable("FAAS_STATE_DIR") is { Length: > 0 } stateDirectory)
        {
            options.StateDirectory = stateDirectory;
        }

        configure?.Invoke(options);
        var asyncOptions = builder.Configuration.GetSection("Gateway:Async").Get<AsyncOptions>() ?? new AsyncOptions();
        configureAsync?.Invoke(asyncOptions);
        SettingsCheck.Validate(options, asyncOptions);
        if (options.Dashboard.Url is { Length: > 0 } dashboardUrl)
        {
            // Kestrel listens on the dashboard's address beside the main one (--urls, ASPNETCORE_URLS or Kestrel's default).
            var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } main ? main : "http://localhost:5000";
            builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), dashboardUrl]);
            Console.WriteLine($"dashboard at {dashboardUrl}/ui/");
        }

        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        Directory.CreateDirectory(options.StateDirectory);
        var credentials = AdminCredentials.Load(options.SecretsDirectory, options.StateDirectory);
        builder.Services.AddSingleton(credentials);
        builder.Services.AddSingleton<InternalCaller>();
        Console.WriteLine($"admin user '{credentials.User}', password from {credentials.Source}");

        AddProvider(builder.Services, builder.Configuration, options);
        AddForwarder(builder.Services, options);
        if (InvokeFastPath.Applies(options))
        {
            builder.Services.AddSingleton<InvokeFastPath>();

            // Resolved when Kestrel binds its endpoints, once the container is built.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
                endpoint.Use(next => endpoint.ApplicationServices.GetRequiredService<InvokeFastPath>().Wrap(next))));
        }
        builder.Services.AddSingleton<RoutingTable>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RoutingTable>());
        builder.Services.AddSingleton<ScaleFromZero>();
        builder.Services.AddSingleton<ReplicaWait>();
        builder.Services.AddSingleton<FunctionTimeouts>();
        builder.Services.AddSingleton<InvokeRoute>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InternalInvoker>();
        builder.Services.AddSingleton<CronTriggers>();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(asyncOptions));
        if (asyncOptions.NatsUrl is { Length: > 0 } natsUrl)
        {
            NatsLink.Register(builder.Services, natsUrl);
            builder.Services.AddSingleton<IAsyncQueue, JetStreamQueue>();
        }
        else
        {
            builder.Services.AddSingleton<IAsyncQueue, InProcessQueue>();
        }

        builder.Services.AddSingleton(new CallbackTargets(asyncOptions));
        builder.Services.AddSingleton<CallbackSender>();
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Autoscaling));
        builder.Services.AddSingleton<LoadMeter>();
        builder.Services.AddSingleton<Autoscaler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Autoscaler>());
        builder.Services.AddConnectors(builder.Configuration.GetSection("Gateway:Connectors"));
        builder.Services.AddSingleton<TopicTriggers>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TopicTriggers>());
        if (asyncOptions.RunWorker)
        {
            builder.Services.AddHostedService<QueueWorker>();
        }

        builder.Services.AddHostedService(services => services.GetRequiredService<CronTriggers>());
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<AsyncStats>();
        builder.Services.AddSingleton<FunctionHistory>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FunctionHistory>());
        builder.Services.AddSingleton<DashboardOrigin>();
        builder.Services.AddSingleton<DashboardSessions>();
        builder.Services.AddSingleton<DashboardAssets>();
        builder.Services.AddSingleton<FunctionStore>();
        builder.Services.AddHostedService(services =>
        {
            var logger = services.GetRequiredService<ILogger<IdleMemoryReturn>>();
            var metrics = services.GetRequiredService<GatewayMetrics>();
            return new IdleMemoryReturn(options.IdleMemoryCheck, TimeProvider.System, metrics.AllInvocations,
                (before, after) => LogMemoryReturned(logger, before >> 20, after >> 20));
        });

        if (options.OtlpEndpoint is { Length: > 0 } otlp)
        {
            builder.Services.AddSingleton(_ => Tracing.ExportTo(otlp));
        }

        var app = builder.Build();

        // Before any hosted service: the routing table, triggers and the autoscaler find the backend connected and its
        // functions back.
        try
        {
            await app.Services.GetRequiredService<IFunctionProvider>().StartAsync(CancellationToken.None);
        }
        catch
        {
            // Whatever the backend started before it failed (standby watchdogs) stops with it.
            await app.DisposeAsync();
            throw;
        }

        // Resolved now so that its listener records from the first invocation; the container disposes (flushes) it at shutdown.
        _ = app.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        app.UseMiddleware<OriginSeparation>();
        app.UseMiddleware<BasicAuth>();
        app.UseMiddleware<TypedErrors>();
        var invoke = app.Services.GetRequiredService<InvokeRoute>();
        app.Use((context, next) => InvokeRoute.TryMatch(context.Request.Path, out var function) ? invoke.InvokeAsync(context, function) : next(context));

        // Routing runs after the invoke prefix test, so invocations skip endpoint matching.
        app.UseRouting();
        // 200 while the gateway serves invocations; a feature that is down (the async queue) is named in the body.
        app.MapGet("/healthz", (IAsyncQueue queue, IFunctionProvider provider, IEnumerable<IConnector> connectors) => Results.Text(
            "OK\n" + (provider.Problem is { } backend ? $"backend: degraded: {backend}\n" : "") + (queue.Problem is { } down ? $"async: unavailable: {down}\n" : "")
            + string.Concat(connectors.Select(connector => connector.Problem is { } problem ? $"connector {connector.Name}: unavailable: {problem}\n" : ""))));
        app.MapGet("/metrics", async (HttpContext context, GatewayMetrics metrics, IFunctionProvider provider, IAsyncQueue queue, IEnumerable<IConnector> connectors) =>
        {
            context.Response.ContentType = GatewayMetrics.ContentType;
            await metrics.WriteAsync(context.Response.Body, provider, queue, connectors, context.RequestAborted);
        });
        SystemRoutes.Map(app);
        AsyncRoute.Map(app);
        DashboardApi.Map(app);
        DashboardRoutes.Map(app);
        return app;
    }

    /// <summary>Registers the backend the options name, each with its own section of settings; the container disposes it at shutdown.</summary>
    private static void AddProvider(IServiceCollection services, IConfiguration configuration, GatewayOptions options)
    {
        switch (options.Provider)
        {
            case "local":
                services.AddLocalProvider(configuration.GetSection("Gateway:Local"), local =>
                {
                    local.StateDirectory = options.StateDirectory;

                    // The one watchdog setting an operator gives the gateway for every local replica.
                    if (Environment.GetEnvironmentVariable("sched_batch") is { } schedBatch)
                    {
                        local.WatchdogEnvironment["sched_batch"] = schedBatch;
                    }
                });
                break;
#if FAAS_LOCAL_ONLY
            case "docker" or "kubernetes":
                throw new ArgumentException($"Gateway:Provider '{options.Provider}': this gateway was built with the local backend only (Native AOT); the framework-dependent gateway runs every backend");
#else
            case "docker":
                services.AddDockerProvider(configuration.GetSection("Gateway:Docker"), docker => docker.StateDirectory = options.StateDirectory);
                break;
            case "kubernetes":
                services.AddKubernetesProvider(configuration.GetSection("Gateway:Kubernetes"));
                break;
#endif
            default:
                throw new ArgumentException($"Gateway:Provider '{options.Provider}' is not a backend: use local, docker or kubernetes");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quiet again: heap compacted and returned, resident {Before} MB -> {After} MB")]
    private static partial void LogMemoryReturned(ILogger logger, long before, long after);

    private static void AddForwarder(IServiceCollection services, GatewayOptions options)
    {
        switch (options.Forwarder)
        {
            case "own":
                services.AddSingleton(new UpstreamClient(new UpstreamClientOptions { IdleTimeout = TimeSpan.FromSeconds(30) }));
                services.AddSingleton<IReplicaForwarder, OwnForwarder>();
                break;
            case "yarp":
                services.AddHttpForwarder();
                services.AddSingleton<IReplicaForwarder, YarpForwarder>();
                break;
            default:
                throw new ArgumentException($"Gateway:Forwarder '{options.Forwarder}' is not a forwarder: use own or yarp");
        }
    }
}
