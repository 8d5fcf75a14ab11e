using Faas.Provider.Host;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Host.State;
using Faas.Provider.Local.Bundles;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;
using Faas.Provider.Local.Replicas;
using Faas.Provider.Local.State;
using Faas.Provider.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Provider.Local;

/// <summary>
/// The local backend: every replica is a watchdog process on a loopback port, in a sandbox of its own where one can be
/// made, supervised and restarted when it crashes. Definitions, secrets, bundles, logs and replica counts live under
/// the state directory, so a restarted provider brings every function back as it was. Needs nothing but this machine.
/// </summary>
public sealed partial class LocalProvider : HostProvider<ReplicaLaunch>, IBundleStore
{
    private readonly LocalProviderOptions _options;
    private readonly BundleStore _bundles;
    private readonly StandbyPool? _standbys;
    private readonly ReplicaSandbox _sandbox;
    private readonly ReplicaLimits _limits;
    private readonly FunctionLogs _logs;
    private readonly ILogger _log;

    /// <summary>Opens the state directory and finds how replicas can be isolated; nothing runs until <see cref="StartAsync(CancellationToken)"/>.</summary>
    public LocalProvider(LocalProviderOptions options, ILogger<LocalProvider>? log = null)
        : this(options, log ?? (ILogger)NullLogger.Instance)
    {
    }

    private LocalProvider(LocalProviderOptions options, ILogger log)
        : this(options, Parts.Of(options, log), log)
    {
    }

    private LocalProvider(LocalProviderOptions options, Parts parts, ILogger log)
        : base(options, new ProcessDriver(options, parts.State, parts.Sandbox, parts.Limits, parts.Standbys, parts.Logs, log), new FunctionStore(parts.State), parts.State)
    {
        _options = options;
        _sandbox = parts.Sandbox;
        _limits = parts.Limits;
        _standbys = parts.Standbys;
        _logs = parts.Logs;
        _log = log;
        _bundles = new BundleStore(parts.State, options.MaxBundleBytes);
    }

    public override ProviderInfo Info { get; } = new()
    {
        Provider = "faas-local",
        Orchestration = "local",
        Version = VersionInfo.Of(typeof(LocalProvider).Assembly),
    };

    /// <summary>How replicas are kept from the host and from each other, or why they are not (also logged at start).</summary>
    public string Isolation => _sandbox.Summary;

    /// <summary>A provider on <paramref name="options"/>, started (for callers without a host: tests, benchmarks).</summary>
    public static async Task<LocalProvider> StartAsync(LocalProviderOptions options, CancellationToken cancellationToken = default)
    {
        var provider = new LocalProvider(options);
        await provider.StartAsync(cancellationToken);
        return provider;
    }

    /// <summary>Reaps replicas a previous run left behind (and their control groups), starts the standby pool, and brings every stored function back.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_options.WatchdogPath))
        {
            throw ProviderStartException.BadSettings($"Gateway:Local:WatchdogPath: the watchdog executable was not found at {_options.WatchdogPath} (make publish-watchdog builds it)");
        }

        LogIsolation(_log, _sandbox.Summary);
        LogIsolation(_log, _limits.Summary);
        OrphanReaper.KillLeftovers(State.RunningReplicas);
        await _limits.RemoveLeftoversAsync();
        _standbys?.Fill();
        await RestoreAllAsync((key, problem) => LogUnrestorable(_log, key.ToString(), problem), cancellationToken);
    }

    public Task<string> StoreBundleAsync(string name, Stream archive, CancellationToken cancellationToken) =>
        _bundles.StoreBundleAsync(name, archive, cancellationToken);

    /// <summary>
    /// Stops every replica (the gateway is exiting): nothing is left running, and state stays for the next start. The
    /// gateway has drained its own requests by now, so no replica waits for routers to notice it going.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Functions.Select(function => function.StopAllAsync(stillRouted: false)));
        if (_standbys is not null)
        {
            await _standbys.DisposeAsync();
        }

        _limits.Release();

        _logs.Dispose();
    }

    /// <summary>The image of a function that is a command on this machine (its <c>envProcess</c>) rather than a bundle.</summary>
    public const string CommandImage = "local";

    /// <summary>How to start replicas of <paramref name="deployment"/>; Invalid if a secret or the bundle is missing.</summary>
    protected override Task<ReplicaLaunch> PrepareAsync(FunctionDeployment deployment, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        var missing = deployment.Secrets?.FirstOrDefault(secret => !Secrets.Exists(secret, key.Namespace));
        if (missing is not null)
        {
            throw ProviderException.Invalid($"required secret '{missing}' was not found in namespace {key.Namespace}");
        }

        if (!BundleReference.IsBundle(deployment.Image) && deployment.Image != CommandImage)
        {
            throw ProviderException.Invalid(
                $"image \"{deployment.Image}\" is a container image, and the local backend runs no containers: deploy a bundle (faas up, or POST /system/bundles), " +
                $"or a host command with image \"{CommandImage}\" and envProcess; container images run on the docker and kubernetes backends (Gateway:Provider)");
        }

        var bundle = BundleReference.IsBundle(deployment.Image) ? _bundles.Resolve(deployment.Image) : ((string, BundleManifest)?)null;
        var secretsDirectory = Path.Combine(State.FunctionDirectory(key), "secrets");
        var launch = ReplicaLaunch.For(deployment, createdAt, bundle, secretsDirectory);
        if (deployment.Limits is { Memory.Length: > 0 } or { Cpu.Length: > 0 } && !_limits.CanEnforce)
        {
            LogLimitsNotEnforced(_log, key.ToString(), _limits.Summary);
        }

        if (!launch.Environment.ContainsKey("fprocess"))
        {
            throw ProviderException.Invalid($"function {key.Name} has no command to run: set envProcess (or deploy a bundle)");
        }

        Secrets.Materialize(deployment.Secrets ?? [], key.Namespace, secretsDirectory);
        _sandbox.GiveToFunction(secretsDirectory);
        foreach (var secret in Directory.EnumerateFiles(secretsDirectory))
        {
            _sandbox.GiveToFunction(secret);
        }

        return Task.FromResult(launch);
    }

    protected override string? Refuse(FunctionDeployment deployment) => WatchdogVariables.Refuse(deployment.EnvVars);

    protected override Task RestoreAsync(ReplicaSet<ReplicaLaunch> function, StoredDefinition stored, CancellationToken cancellationToken) =>
        function.ScaleToAsync(stored.Replicas ?? 1);

    protected override IAsyncEnumerable<LogMessage> ReadLogsAsync(FunctionKey key, LogRequest request, CancellationToken cancellationToken) =>
        _logs.Of(key).ReadAsync(request, cancellationToken);

    protected override Task OnDeletedAsync(FunctionKey key)
    {
        _logs.Delete(key);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local backend: {Isolation}")]
    private static partial void LogIsolation(ILogger logger, string isolation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} sets limits, and {Limits}")]
    private static partial void LogLimitsNotEnforced(ILogger logger, string function, string limits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} is not brought back: {Problem}")]
    private static partial void LogUnrestorable(ILogger logger, string function, string problem);

    /// <summary>What the provider is made of, from its options; a setting that cannot work is a start-up failure naming it.</summary>
    private sealed record Parts(StateDirectory State, ReplicaSandbox Sandbox, ReplicaLimits Limits, StandbyPool? Standbys, FunctionLogs Logs)
    {
        public static Parts Of(LocalProviderOptions options, ILogger log)
        {
            if (string.IsNullOrEmpty(options.StateDirectory))
            {
                throw ProviderStartException.BadSettings("the local backend needs a state directory (FAAS_STATE_DIR or Gateway:StateDirectory)");
            }

            if (options.TmpfsBytes <= 0)
            {
                throw ProviderStartException.BadSettings($"Gateway:Local:TmpfsBytes is {options.TmpfsBytes}: give the size of a replica's /tmp in bytes");
            }

            ReplicaSandbox sandbox;
            try
            {
                sandbox = ReplicaSandbox.Detect(options);
            }
            catch (ArgumentException error)
            {
                throw ProviderStartException.BadSettings($"Gateway:Local:FunctionUser: {error.Message}", error);
            }

            var state = new StateDirectory(options.StateDirectory);
            if (options.PidsLimit < 0)
            {
                throw ProviderStartException.BadSettings($"Gateway:Local:PidsLimit is {options.PidsLimit}: give the most processes and threads a replica may run, or 0 for no limit of its own");
            }

            var limits = ReplicaLimits.Detect(options.StateDirectory, options.PidsLimit);
            return new Parts(state, sandbox, limits, options.StandbyReplicas > 0 ? new StandbyPool(options, state, sandbox, limits) : null, new FunctionLogs(state, options.LogFileMaxBytes, log));
        }
    }
}
