using System.Collections.Concurrent;
using Faas.Provider;
using Faas.Provider.Wire;
using Prometheus;

namespace Faas.Gateway.Metrics;

/// <summary>
/// The OpenFaaS gateway's metrics by the same names and labels (<c>function_name</c> is <c>name.namespace</c>, as
/// with faas-netes), plus an in-flight gauge. Only functions that exist are counted, so invoking random names
/// cannot grow the label set. Served on the public <c>/metrics</c> (prometheus-net).
/// </summary>
internal sealed class GatewayMetrics
{
    /// <summary>What Prometheus' text exposition is served as.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = MetricRegistries.New();

    public GatewayMetrics()
    {
        var factory = MetricRegistries.Factory(_registry);
        Invocations = factory.CreateCounter("gateway_function_invocation_total", "Function invocations by status code.", ["function_name", "code"]);
        Seconds = factory.CreateHistogram("gateway_functions_seconds", "Function invocation time taken.",
            new HistogramConfiguration { LabelNames = ["function_name", "code"], Buckets = MetricRegistries.GoDefaultBuckets });
        Started = factory.CreateCounter("gateway_function_invocation_started", "Function invocations started.", ["function_name"]);
        Replicas = factory.CreateGauge("gateway_service_count", "Desired replicas of each function.", ["function_name"]);
        InFlight = factory.CreateGauge("gateway_function_invocation_inflight", "Function invocations in flight.", ["function_name"]);
        ScaleFromZero = factory.CreateCounter("gateway_scale_from_zero_total", "Scale-ups from zero replicas that waiting requests triggered.", ["function_name"]);
        DesiredReplicas = factory.CreateGauge("gateway_function_desired_replicas", "Replicas the autoscaler last decided on, for autoscaled functions.", ["function_name"]);
        AvailableReplicas = factory.CreateGauge("gateway_function_available_replicas", "Replicas ready to serve.", ["function_name"]);
        TriggerInvocations = factory.CreateCounter("gateway_trigger_invocation_total", "Invocations by event triggers, by trigger and status code (\"error\" when none came).", ["function_name", "trigger", "code"]);
        ColdStartSeconds = factory.CreateHistogram("gateway_cold_start_seconds", "Time requests waited for a function to get a ready replica.",
            new HistogramConfiguration { LabelNames = ["function_name"], Buckets = MetricRegistries.GoDefaultBuckets });
        AsyncQueueUp = factory.CreateGauge("gateway_async_queue_up", "1 while the async queue can take requests, 0 while it cannot (NATS unreachable).");
        ConnectorMessages = factory.CreateCounter("gateway_connector_messages_total", "Messages a connector received, by the subscribed topic they matched.", ["connector", "topic"]);
        ConnectorFailures = factory.CreateCounter("gateway_connector_failures_total", "Invocations for messages that did not answer 2xx (each attempt).", ["connector", "topic"]);
        ConnectorRedeliveries = factory.CreateCounter("gateway_connector_redeliveries_total", "Messages the broker delivered again (after a failure or a lost connection).", ["connector", "topic"]);
        ConnectorDeadLetters = factory.CreateCounter("gateway_connector_dead_letters_total", "Messages dead-lettered once their attempts were spent.", ["connector", "topic"]);
        ConnectorLag = factory.CreateGauge("gateway_connector_lag", "Messages waiting in a function's queue, where the broker reports it (RabbitMQ).", ["connector", "function_name"]);
        FastPathInvocations = factory.CreateCounter("gateway_fast_path_invocation_total", "Invocations served without Kestrel's HttpContext pipeline (Gateway:FastPath).");
        ConnectorUp = factory.CreateGauge("gateway_connector_up", "1 while a connector is connected to its broker, 0 while it is not.", ["connector"]);
    }

    private readonly ConcurrentDictionary<string, FunctionInvocations> _functions = new(StringComparer.Ordinal);

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

    public Counter ConnectorMessages { get; }

    public Counter ConnectorFailures { get; }

    public Counter ConnectorRedeliveries { get; }

    public Counter ConnectorDeadLetters { get; }

    public Gauge ConnectorLag { get; }

    public Gauge ConnectorUp { get; }

    public Counter FastPathInvocations { get; }

    /// <summary>Invocations of a function this gateway has started (<c>invocationCount</c> in the admin API, as OpenFaaS reports it from its metrics).</summary>
    public double InvocationCount(FunctionStatus function) => Load(function.Key().ToString()).Started;

    /// <summary>The invocation series of <paramref name="function"/> (<c>name.namespace</c>), made on its first invocation.</summary>
    public FunctionInvocations Function(string function) => _functions.GetOrAdd(function, static (label, metrics) => new FunctionInvocations(metrics, label), this);

    /// <summary>The invocation series of <paramref name="function"/> if it was ever invoked (never makes one).</summary>
    public FunctionInvocations? Find(string function) => _functions.GetValueOrDefault(function);

    /// <summary>Started and in-flight counts of a function and how long ago it last answered; zeros and null if it was never invoked.</summary>
    public (long Started, long InFlight, TimeSpan? SinceLastFinished) Load(string function) =>
        _functions.TryGetValue(function, out var invocations) ? (invocations.Started, invocations.InFlight, invocations.SinceLastFinished) : (0, 0, null);

    /// <summary>Invocations of every function started so far and in flight now (what counts as serving; the admin API and dashboard do not).</summary>
    public (long Started, long InFlight) AllInvocations()
    {
        var (started, inFlight) = (0L, 0L);
        foreach (var invocations in _functions.Values)
        {
            started += invocations.Started;
            inFlight += invocations.InFlight;
        }

        return (started, inFlight);
    }

    /// <summary>Refreshes <c>gateway_service_count</c> from the provider, the queue's and connectors' state, then writes everything out.</summary>
    public async Task WriteAsync(Stream destination, IFunctionProvider provider, Async.IAsyncQueue queue, IEnumerable<Connectors.IConnector> connectors, CancellationToken cancellationToken)
    {
        AsyncQueueUp.Set(queue.Problem is null ? 1 : 0);
        foreach (var connector in connectors)
        {
            ConnectorUp.WithLabels(connector.Name).Set(connector.Problem is null ? 1 : 0);
        }

        foreach (var function in await provider.ListAllAsync(cancellationToken))
        {
            var label = function.Key().ToString();
            Replicas.WithLabels(label).Set(function.Replicas);
            AvailableReplicas.WithLabels(label).Set(function.AvailableReplicas);
        }

        await _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
    }
}
