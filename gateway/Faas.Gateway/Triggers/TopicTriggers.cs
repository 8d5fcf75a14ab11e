using System.Globalization;
using Faas.Gateway.Async;
using Faas.Gateway.Metrics;
using Faas.Nats;
using Faas.Provider;
using Faas.Provider.Triggers;

namespace Faas.Gateway.Triggers;

/// <summary>
/// Invokes functions with a <c>topic</c> annotation for each message on those NATS subjects: the message body as the
/// request body, <c>X-Topic</c> naming the subject; a message with a reply subject gets the function's response. The
/// subscriptions follow the deployed functions (re-read every <see cref="RefreshInterval"/>), in a queue group so that
/// several gateways share the work rather than repeat it. Active only with NATS configured.
/// </summary>
public sealed class TopicTriggers(IFunctionProvider provider, IServiceProvider services, GatewayInvoker invoker, GatewayMetrics metrics, ILogger<TopicTriggers> log) : BackgroundService
{
    public const string TriggerName = "topic";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (NatsSubscription Subscription, Task Pump)> _subscriptions = [];
    private volatile Dictionary<string, List<FunctionKey>> _routes = [];

    /// <summary>The subjects subscribed now (for tests and logs).</summary>
    public IReadOnlyCollection<string> Subjects
    {
        get
        {
            lock (_subscriptions)
            {
                return [.. _subscriptions.Keys];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<JetStreamQueue>() is not { } queue)
        {
            log.LogInformation("Topic triggers are off: they need NATS (Gateway:Async:NatsUrl)");
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(queue.Connection, stoppingToken);
                }
                catch (Exception error) when (error is ProviderException or NatsException)
                {
                    log.LogWarning("Topic triggers could not refresh: {Error}", error.Message);
                }

                await Task.Delay(RefreshInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var (subscription, _) in _subscriptions.Values)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    /// <summary>Subscribes to the subjects deployed functions name, and drops the ones none names any more.</summary>
    public async Task RefreshAsync(NatsConnection connection, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<string, List<FunctionKey>>(StringComparer.Ordinal);
        foreach (var function in await provider.ListAllAsync(cancellationToken))
        {
            foreach (var topic in function.Annotations?.GetValueOrDefault(TriggerAnnotations.Topic) is { } topics ? TriggerAnnotations.Topics(topics) : [])
            {
                (routes.TryGetValue(topic, out var list) ? list : routes[topic] = []).Add(function.Key());
            }
        }

        _routes = routes;
        List<string> added, removed;
        lock (_subscriptions)
        {
            added = [.. routes.Keys.Where(subject => !_subscriptions.ContainsKey(subject))];
            removed = [.. _subscriptions.Keys.Where(subject => !routes.ContainsKey(subject))];
        }

        foreach (var subject in added)
        {
            var subscription = await connection.SubscribeAsync(subject, "faas-topic-triggers", cancellationToken);
            lock (_subscriptions)
            {
                _subscriptions[subject] = (subscription, PumpAsync(connection, subject, subscription));
            }

            log.LogInformation("Topic trigger subscribed to {Subject}", subject);
        }

        foreach (var subject in removed)
        {
            (NatsSubscription Subscription, Task Pump) entry;
            lock (_subscriptions)
            {
                _subscriptions.Remove(subject, out entry);
            }

            await entry.Subscription.DisposeAsync();
            log.LogInformation("Topic trigger unsubscribed from {Subject}", subject);
        }
    }

    private async Task PumpAsync(NatsConnection connection, string subject, NatsSubscription subscription)
    {
        await foreach (var message in subscription.ReadAllAsync())
        {
            foreach (var function in _routes.GetValueOrDefault(subject) ?? [])
            {
                _ = InvokeAsync(connection, function, message);
            }
        }
    }

    private async Task InvokeAsync(NatsConnection connection, FunctionKey function, NatsMessage message)
    {
        string code;
        try
        {
            using var body = new ReadOnlyMemoryContent(message.Data);
            using var response = await invoker.InvokeAsync(function, HttpMethod.Post, body, [new("X-Topic", message.Subject), new("X-Connector", TriggerName)], CancellationToken.None);
            code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (message.ReplyTo is { } replyTo)
            {
                var headers = new NatsHeaders().Add("X-Function-Status", code).Add("X-Function-Name", function.Name);
                await connection.PublishAsync(replyTo, await response.Content.ReadAsByteArrayAsync(), headers);
            }
        }
        catch (Exception error) when (error is HttpRequestException or NatsException)
        {
            code = "error";
            log.LogWarning("Topic invocation of {Function} for {Subject} failed: {Error}", function, message.Subject, error.Message);
        }

        metrics.TriggerInvocations.WithLabels(function.ToString(), TriggerName, code).Inc();
    }
}
