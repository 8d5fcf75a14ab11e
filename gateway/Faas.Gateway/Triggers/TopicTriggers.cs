using Faas.Gateway.Connectors;
using Faas.Gateway.Messaging;
using Faas.Provider;
using Faas.Provider.Triggers;
using NATS.Client.Core;

namespace Faas.Gateway.Triggers;

/// <summary>
/// Invokes functions with a <c>topic</c> annotation for each message on those NATS subjects: the message body as the
/// request body, <c>X-Topic</c> naming the subject; a message with a reply subject gets the function's response, and so
/// does the function's <c>reply-topic</c> when it answered 2xx. The
/// subscriptions follow the deployed functions (re-read every <see cref="RefreshInterval"/>), in a queue group so that
/// several gateways share the work rather than repeat it. Active only with NATS configured.
/// </summary>
internal sealed partial class TopicTriggers(IFunctionProvider provider, IServiceProvider services, MessageInvoker invoker, ILogger<TopicTriggers> log) : BackgroundService
{
    public const string TriggerName = TriggerAnnotations.Nats;

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>Several gateways share a topic's messages instead of each invoking the function for every one.</summary>
    private const string QueueGroup = "faas-topic-triggers";

    private readonly Dictionary<string, (INatsSub<byte[]> Subscription, Task Pump)> _subscriptions = [];
    private volatile Dictionary<string, List<ConnectorRoute>> _routes = [];

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
        if (services.GetService<NatsLink>() is not { } link)
        {
            LogOff(log);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (link.IsConnected)
                    {
                        await RefreshAsync(link.Connection, stoppingToken);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // NATS or the provider down: subscriptions made so far stay (the client renews them on reconnect).
                    LogRefreshFailed(log, error.Message);
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
    public async Task RefreshAsync(INatsConnection connection, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<string, List<ConnectorRoute>>(StringComparer.Ordinal);
        foreach (var route in ConnectorRoute.For(await provider.ListAllAsync(cancellationToken), TriggerName))
        {
            foreach (var topic in route.Topics)
            {
                (routes.TryGetValue(topic, out var list) ? list : routes[topic] = []).Add(route);
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
            var subscription = await connection.SubscribeCoreAsync<byte[]>(subject, QueueGroup, cancellationToken: cancellationToken);
            lock (_subscriptions)
            {
                _subscriptions[subject] = (subscription, PumpAsync(subject, subscription));
            }

            LogSubscribed(log, subject);
        }

        foreach (var subject in removed)
        {
            (INatsSub<byte[]> Subscription, Task Pump) entry;
            lock (_subscriptions)
            {
                _subscriptions.Remove(subject, out entry);
            }

            await entry.Subscription.DisposeAsync();
            LogUnsubscribed(log, subject);
        }
    }

    private async Task PumpAsync(string subject, INatsSub<byte[]> subscription)
    {
        await foreach (var message in subscription.Msgs.ReadAllAsync())
        {
            foreach (var route in _routes.GetValueOrDefault(subject) ?? [])
            {
                _ = InvokeAsync(route, message);
            }
        }
    }

    private async Task InvokeAsync(ConnectorRoute route, NatsMsg<byte[]> message)
    {
        var headers = message.Headers?.Select(header => new KeyValuePair<string, string>(header.Key, header.Value.ToString())) ?? [];
        var outcome = await invoker.InvokeAsync(TriggerName, route.Function, message.Subject, message.Data ?? [], headers, CancellationToken.None);
        try
        {
            var answer = new NatsHeaders { ["X-Function-Status"] = outcome.Code, ["X-Function-Name"] = route.Function.Name };
            if (message.ReplyTo is not null)
            {
                await message.ReplyAsync(outcome.Body, answer);
            }

            if (outcome.Succeeded && route.ReplyTopic is { } replyTopic)
            {
                await message.Connection!.PublishAsync(replyTopic, outcome.Body, answer);
            }
        }
        catch (NatsException error)
        {
            LogReplyFailed(log, route.Function.ToString(), message.Subject, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic triggers are off: they need NATS (Gateway:Async:NatsUrl)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic triggers could not refresh: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic trigger subscribed to {Subject}")]
    private static partial void LogSubscribed(ILogger logger, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic trigger unsubscribed from {Subject}")]
    private static partial void LogUnsubscribed(ILogger logger, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer of {Function} to {Subject} could not be published: {Error}")]
    private static partial void LogReplyFailed(ILogger logger, string function, string subject, string error);
}
