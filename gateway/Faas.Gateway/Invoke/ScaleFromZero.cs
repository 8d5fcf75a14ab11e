using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Validation;
using Faas.Provider.Wire;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Brings a function without ready replicas back for the requests waiting on it: at zero desired replicas it asks
/// the provider for <c>com.openfaas.scale.min</c> (at least one), then waits until a replica is ready. Concurrent
/// requests for one function share one scale-up and one wait; none of them can cancel it for the others.
/// </summary>
internal sealed class ScaleFromZero(
    IFunctionProvider provider,
    RoutingTable routes,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ScaleFromZero> log)
{
    private readonly ConcurrentDictionary<FunctionKey, Lazy<Task<bool>>> _pending = new();

    /// <summary>True once the function has a ready replica; false if none became ready within the configured timeout.</summary>
    public Task<bool> WaitForReplicaAsync(FunctionKey function, CancellationToken cancellationToken) =>
        _pending.GetOrAdd(function, static (key, self) => new Lazy<Task<bool>>(() => self.ScaleUpAsync(key)), this)
            .Value.WaitAsync(cancellationToken);

    private async Task<bool> ScaleUpAsync(FunctionKey function)
    {
        await Task.Yield();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        deadline.CancelAfter(options.Value.ScaleFromZeroTimeout);
        try
        {
            var status = await provider.GetAsync(function.Name, function.Namespace, deadline.Token);
            if (status.Replicas == 0)
            {
                var replicas = Math.Max(1, ScalingLabels.InitialReplicas(status.Labels));
                log.LogInformation("Scaling {Function} from zero to {Replicas} replicas for a waiting request", function, replicas);
                metrics.ScaleFromZero.WithLabels(function.ToString()).Inc();
                await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = function.Name, Namespace = function.Namespace, Replicas = (ulong)replicas }, deadline.Token);
            }

            return await routes.WaitForReadyAsync(function, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
        catch (ProviderException error) when (error.Kind == ProviderError.NotFound)
        {
            return false;
        }
        finally
        {
            _pending.TryRemove(function, out _);
        }
    }
}
