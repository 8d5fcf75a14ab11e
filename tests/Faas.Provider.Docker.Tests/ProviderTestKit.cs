using System.Text;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Tests;

/// <summary>Deployments of the watchdog image and waits on a Docker backend's replicas, shared by the backend's tests.</summary>
internal static class ProviderTestKit
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public static FunctionDeployment Function(string name, string fprocess) =>
        new() { Service = name, Image = BaseImages.Watchdog, EnvProcess = fprocess };

    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..16];

    /// <summary>Waits until the function has exactly <paramref name="count"/> ready replicas.</summary>
    public static async Task<IReadOnlyList<ReplicaEndpoint>> WaitForReadyAsync(IFunctionProvider provider, string name, int count, TimeSpan? timeout = null)
    {
        var key = new FunctionKey(name, "openfaas-fn");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var ready = provider.GetReadyEndpoints(key);
            if (ready.Count == count)
            {
                return ready;
            }

            if (DateTime.UtcNow > deadline)
            {
                var status = await provider.GetAsync(name, "", CancellationToken.None);
                throw new TimeoutException($"{name}: {ready.Count} ready replicas, expected {count} (last exit: {status.LastExit})");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<string> InvokeAsync(ReplicaEndpoint endpoint, string body = "")
    {
        using var response = await Http.PostAsync($"http://{endpoint.Host}:{endpoint.Port}/", new StringContent(body, Encoding.UTF8));
        return await response.Content.ReadAsStringAsync();
    }
}
