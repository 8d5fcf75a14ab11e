using Faas.Provider.Wire;
using Faas.Testing;

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

    public LocalProviderOptions Options => OptionsFor(State.Path);

    public static LocalProviderOptions OptionsFor(string stateDirectory) => new()
    {
        StateDirectory = stateDirectory,
        WatchdogPath = RepoPaths.Watchdog,
        ReadyTimeout = TimeSpan.FromSeconds(20),
        StopGrace = TimeSpan.FromSeconds(3),
        DrainDelay = TimeSpan.FromMilliseconds(100),
        RestartBackoffMin = TimeSpan.FromMilliseconds(100),
        RestartBackoffMax = TimeSpan.FromSeconds(1),
    };

    public static async Task<LocalProviderFixture> StartAsync()
    {
        var state = new TempDirectory("faas-state-");
        return new LocalProviderFixture(state, await LocalProvider.StartAsync(OptionsFor(state.Path)));
    }

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
        Assert.True(reached, $"{name}: expected {count} ready replicas, have {ready.Count}");
        return ready;
    }

    public static async Task<string> InvokeAsync(ReplicaEndpoint endpoint, string body = "")
    {
        using var response = await TestHttp.Client.PostAsync($"http://{endpoint.Host}:{endpoint.Port}/", new StringContent(body));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>PIDs of live processes belonging to replicas of <paramref name="name"/>.</summary>
    public static IReadOnlyList<int> ReplicaProcesses(string name) => ProcessTable.WithEnvironment("FAAS_REPLICA_ID", name + "-");

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        State.Dispose();
    }
}
