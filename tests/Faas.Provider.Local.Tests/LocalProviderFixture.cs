using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests;

/// <summary>
/// A real local provider on a temporary state directory, running the real watchdog, with short timeouts for
/// tests. Disposing it stops every replica and deletes the state directory.
/// </summary>
public sealed class LocalProviderFixture : IAsyncDisposable
{
    private LocalProviderFixture(TempDirectory state, LocalProvider provider)
    {
        State = state;
        Provider = provider;
    }

    public TempDirectory State { get; }

    public LocalProvider Provider { get; private set; }

    public LocalProviderOptions Options { get; private init; } = null!;

    /// <summary>Test options. No standbys unless asked for: most tests find a function's processes by its replica ids.</summary>
    public static LocalProviderOptions OptionsFor(string stateDirectory, int standbys = 0, bool sandbox = true) => new()
    {
        Sandbox = sandbox,
        StandbyReplicas = standbys,
        StateDirectory = stateDirectory,
        WatchdogPath = RepoPaths.Watchdog,
        SandboxReadOnlyPaths = [RepoPaths.Root],
        ReadyTimeout = TimeSpan.FromSeconds(20),
        StopGrace = TimeSpan.FromSeconds(3),
        DrainDelay = TimeSpan.FromMilliseconds(100),
        RestartBackoffMin = TimeSpan.FromMilliseconds(100),
        RestartBackoffMax = TimeSpan.FromSeconds(1),
    };

    public static async Task<LocalProviderFixture> StartAsync(int standbys = 0, bool sandbox = true, Action<LocalProviderOptions>? configure = null)
    {
        var state = new TempDirectory("faas-state-");
        var options = OptionsFor(state.Path, standbys, sandbox);
        configure?.Invoke(options);
        return new LocalProviderFixture(state, await LocalProvider.StartAsync(options)) { Options = options };
    }

    /// <summary>
    /// The live processes this fixture's provider started, one per replica or standby (they run with a TMPDIR inside its
    /// state): the watchdogs, or the sandboxes around them.
    /// </summary>
    public IReadOnlyList<int> AllProcesses() => StartedHere(ProcessTable.WithEnvironment("TMPDIR", State.Path));

    /// <summary>Stops the provider (as a gateway exiting does) and starts a new one on the same state.</summary>
    public async Task RestartAsync()
    {
        await Provider.DisposeAsync();
        Provider = await LocalProvider.StartAsync(Options);
    }

    public static FunctionDeployment Function(string name, string fprocess, Dictionary<string, string>? environment = null, Dictionary<string, string>? labels = null) => new()
    {
        Service = name,
        Image = "local",
        EnvProcess = fprocess,
        EnvVars = environment,
        Labels = labels,
    };

    public static FunctionKey Key(string name) => new(name, "openfaas-fn");

    /// <summary>Waits until the function has exactly <paramref name="count"/> ready replicas.</summary>
    public async Task<IReadOnlyList<ReplicaEndpoint>> WaitForReadyAsync(string name, int count, TimeSpan? timeout = null)
    {
        IReadOnlyList<ReplicaEndpoint> ready = [];
        var reached = await ProcessTable.EventuallyAsync(() => (ready = Provider.GetReadyEndpoints(Key(name))).Count == count, timeout ?? TimeSpan.FromSeconds(30));
        if (!reached)
        {
            var status = await Provider.GetAsync(name, "", CancellationToken.None);
            var logs = await TestLogs.ReadAllAsync(Provider, name);
            Assert.Fail($"{name}: expected {count} ready replicas, have {ready.Count}; last exit: {status.LastExit}; log: {string.Join(" | ", logs.TakeLast(10).Select(m => m.Text))}");
        }

        return ready;
    }

    public static async Task<string> InvokeAsync(ReplicaEndpoint endpoint, string body = "")
    {
        using var response = await TestHttp.Client.PostAsync($"http://{endpoint.Host}:{endpoint.Port}/", new StringContent(body));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>PIDs of the processes the provider started for replicas of <paramref name="name"/>, one per replica.</summary>
    public static IReadOnlyList<int> ReplicaProcesses(string name) => StartedHere(ProcessesOf(name));

    /// <summary>PIDs of every live process of replicas of <paramref name="name"/>: sandbox, watchdog and function.</summary>
    public static IReadOnlyList<int> ProcessesOf(string name) => ProcessTable.WithEnvironment("FAAS_REPLICA_ID", name + "-");

    private static IReadOnlyList<int> StartedHere(IReadOnlyList<int> processes) => [.. processes.Intersect(ProcessTable.ChildrenOf(Environment.ProcessId))];

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        State.Dispose();
    }
}
