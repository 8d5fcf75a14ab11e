using Faas.Prometheus;
using Faas.Provider;
using Faas.Provider.Wire;

namespace Faas.Gateway.Metrics;

/// <summary>
/// The OpenFaaS gateway's metrics by the same names and labels (<c>function_name</c> is <c>name.namespace</c>, as
/// with faas-netes), plus an in-flight gauge. Only functions that exist are counted, so invoking random names
/// cannot grow the label set. Served on the public <c>/metrics</c>.
/// </summary>
public sealed class GatewayMetrics
{
    public GatewayMetrics()
    {
        Registry = new MetricRegistry();
        Invocations = Registry.Counter("gateway_function_invocation_total", "Function invocations by status code.", "function_name", "code");
        Seconds = Registry.Histogram("gateway_functions_seconds", "Function invocation time taken.", ["function_name", "code"]);
        Started = Registry.Counter("gateway_function_invocation_started", "Function invocations started.", "function_name");
        Replicas = Registry.Gauge("gateway_service_count", "Desired replicas of each function.", "function_name");
        InFlight = Registry.Gauge("gateway_function_invocation_inflight", "Function invocations in flight.", "function_name");
        ScaleFromZero = Registry.Counter("gateway_scale_from_zero_total", "Scale-ups from zero replicas that waiting requests triggered.", "function_name");
        DesiredReplicas = Registry.Gauge("gateway_function_desired_replicas", "Replicas the autoscaler last decided on, for autoscaled functions.", "function_name");
        AvailableReplicas = Registry.Gauge("gateway_function_available_replicas", "Replicas ready to serve.", "function_name");
        TriggerInvocations = Registry.Counter("gateway_trigger_invocation_total", "Invocations by event triggers, by trigger and status code (\"error\" when none came).", "function_name", "trigger", "code");
        ColdStartSeconds = Registry.Histogram("gateway_cold_start_seconds", "Time requests waited for a function to get a ready replica.", ["function_name"]);
        AsyncQueueUp = Registry.Gauge("gateway_async_queue_up", "1 while the async queue can take requests, 0 while it cannot (NATS unreachable).");
    }

    public MetricRegistry Registry { get; }

    public Counter Invocations { get; }

    public Histogram Seconds { get; }

    public Counter Started { get; }

    public Gauge Replicas { get; }

    public Gauge InFlight { get; }

    public Counter ScaleFromZero { get; }

    public Histogram ColdStartSeconds { get; }

    public Counter TriggerInvocations { get; }

    public Gauge DesiredReplicas { get; }

    public Gauge AvailableReplicas { get; }

    public Gauge AsyncQueueUp { get; }

    /// <summary>Invocations of a function this gateway has started (<c>invocationCount</c> in the admin API, as OpenFaaS reports it from its metrics).</summary>
    public double InvocationCount(FunctionStatus function) =>
        Started.TryGet(new LabelValues(function.Key().ToString()), out var started) ? started.Value : 0;

    /// <summary>Refreshes <c>gateway_service_count</c> from the provider and the queue's state, then renders everything.</summary>
    public async Task<string> RenderAsync(IFunctionProvider provider, Async.IAsyncQueue queue, CancellationToken cancellationToken)
    {
        AsyncQueueUp.Unlabelled.Set(queue.Problem is null ? 1 : 0);
        foreach (var function in await provider.ListAllAsync(cancellationToken))
        {
            var label = function.Key().ToString();
            Replicas.WithLabels(label).Set(function.Replicas);
            AvailableReplicas.WithLabels(label).Set(function.AvailableReplicas);
        }

        return Registry.Render();
    }
}
