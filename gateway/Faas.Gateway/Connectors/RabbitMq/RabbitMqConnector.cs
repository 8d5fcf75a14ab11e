using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Triggers;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Faas.Gateway.Connectors.RabbitMq;

/// <summary>
/// Invokes functions for RabbitMQ messages (RabbitMQ.Client). Each function with topics for this connector gets a
/// durable quorum queue bound to the topic exchange by its topics; messages are acknowledged only after the function
/// answered 2xx, so a gateway that dies leaves them to be delivered again. A failed invocation is retried with the
/// async settings' backoff (the message goes back to the queue, its delivery count rising), and once
/// <c>Gateway:Async:MaxAttempts</c> are spent it is dead-lettered to the dead-letter exchange, where a durable queue
/// of the same name keeps it. The answer goes to the message's <c>reply_to</c> and to the function's reply topic.
/// </summary>
internal sealed partial class RabbitMqConnector(
    IFunctionProvider provider, MessageInvoker invoker, GatewayMetrics metrics, IOptions<AsyncOptions> asyncOptions, string url, RabbitMqOptions options, ILogger<RabbitMqConnector> log)
    : BrokerConnector(provider, log)
{
    private readonly Dictionary<FunctionKey, FunctionQueue> _queues = [];
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private IConnection? _connection;
    private IChannel? _admin;

    public override string Name => TriggerAnnotations.RabbitMq;

    public override string Broker { get; } = BrokerUrl.WithoutCredentials(url);

    protected override bool IsConnected => _connection?.IsOpen == true && _admin?.IsOpen == true;

    protected override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await CloseAsync();
        var factory = new ConnectionFactory
        {
            Uri = new Uri(url),
            ClientProvidedName = "faas-gateway",

            // The connector reconnects and subscribes again itself, the same way after a first failure as after a drop.
            AutomaticRecoveryEnabled = false,
            ConsumerDispatchConcurrency = options.Prefetch,
        };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        _connection.ConnectionShutdownAsync += (_, args) =>
        {
            if (args.Initiator != ShutdownInitiator.Application)
            {
                ConnectionLost(args.ReplyText);
            }

            return Task.CompletedTask;
        };
        _admin = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await _admin.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, cancellationToken: cancellationToken);
        await _admin.ExchangeDeclareAsync(options.DeadLetterExchange, ExchangeType.Topic, durable: true, cancellationToken: cancellationToken);
        await _admin.QueueDeclareAsync(options.DeadLetterExchange, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await _admin.QueueBindAsync(options.DeadLetterExchange, options.DeadLetterExchange, "#", cancellationToken: cancellationToken);
    }

    protected override async Task ApplyAsync(IReadOnlyList<ConnectorRoute> routes, CancellationToken cancellationToken)
    {
        var wanted = routes.ToDictionary(route => route.Function);
        foreach (var (function, queue) in _queues.Where(entry => !wanted.ContainsKey(entry.Key)).ToList())
        {
            _queues.Remove(function);
            await queue.Channel.CloseAsync(cancellationToken);
            await _admin!.QueueDeleteAsync(queue.Name, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            metrics.ConnectorLag.RemoveLabelled(Name, function.ToString());
            LogUnsubscribed(log, function.ToString());
        }

        foreach (var route in routes)
        {
            try
            {
                await ApplyRouteAsync(route, cancellationToken);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException error) when (_admin?.IsOpen == true)
            {
                // This function's channel failed (the broker refused a binding, say); the others go on, and the next round tries again.
                _queues.Remove(route.Function);
                LogNotSubscribed(log, route.Function.ToString(), error.Message);
            }
        }
    }

    /// <summary>One function's queue, bindings and lag.</summary>
    private async Task ApplyRouteAsync(ConnectorRoute route, CancellationToken cancellationToken)
    {
        if (!_queues.TryGetValue(route.Function, out var queue))
        {
            queue = await OpenAsync(route.Function, cancellationToken);
            _queues[route.Function] = queue;
        }

        queue.ReplyTopic = route.ReplyTopic;
        foreach (var key in route.Topics.Where(key => !queue.Keys.Contains(key)))
        {
            await queue.Channel.QueueBindAsync(queue.Name, options.Exchange, key, cancellationToken: cancellationToken);
            queue.Bound(key);
            LogSubscribed(log, route.Function.ToString(), key);
        }

        foreach (var key in queue.Keys.Where(key => !route.Topics.Contains(key)))
        {
            await queue.Channel.QueueUnbindAsync(queue.Name, options.Exchange, key, cancellationToken: cancellationToken);
            queue.Unbound(key);
            LogUnbound(log, route.Function.ToString(), key);
        }

        var waiting = await _admin!.QueueDeclarePassiveAsync(queue.Name, cancellationToken);
        metrics.ConnectorLag.WithLabels(Name, route.Function.ToString()).Set(waiting.MessageCount);
    }

    /// <summary>Declares the function's queue and starts consuming it on a channel of its own.</summary>
    private async Task<FunctionQueue> OpenAsync(FunctionKey function, CancellationToken cancellationToken)
    {
        var channel = await _connection!.CreateChannelAsync(cancellationToken: cancellationToken);
        var queue = new FunctionQueue(function, channel);
        try
        {
            // Quorum: the broker counts deliveries, and its delivery limit dead-letters a message even if every
            // attempt ended with a gateway that died mid-way.
            var arguments = new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-dead-letter-exchange"] = options.DeadLetterExchange,
                ["x-delivery-limit"] = asyncOptions.Value.MaxAttempts,
            };
            try
            {
                await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException refused) when (refused.ShutdownReason?.ReplyCode == 406)
            {
                // The queue exists with other arguments (MaxAttempts changed since it was made): it is used as it is.
                LogQueueKept(log, queue.Name, refused.ShutdownReason.ReplyText);
                await channel.DisposeAsync();
                channel = await _connection!.CreateChannelAsync(cancellationToken: cancellationToken);
                queue = new FunctionQueue(function, channel);
                await channel.QueueDeclarePassiveAsync(queue.Name, cancellationToken);
            }

            await channel.BasicQosAsync(0, options.Prefetch, global: false, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => DeliverAsync(queue, delivery);
            await channel.BasicConsumeAsync(queue.Name, autoAck: false, consumer, cancellationToken);
            return queue;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    private async Task DeliverAsync(FunctionQueue queue, BasicDeliverEventArgs delivery)
    {
        var settings = asyncOptions.Value;
        var topic = queue.PatternFor(delivery.RoutingKey);
        var attempt = DeliveryProperties.DeliveryCount(delivery.BasicProperties) + 1;
        metrics.ConnectorMessages.WithLabels(Name, topic).Inc();
        if (delivery.Redelivered || attempt > 1)
        {
            metrics.ConnectorRedeliveries.WithLabels(Name, topic).Inc();
        }

        try
        {
            var outcome = await invoker.InvokeAsync(Name, queue.Function, delivery.RoutingKey, delivery.Body, DeliveryProperties.Headers(delivery.BasicProperties), Stopping);
            if (outcome.Succeeded)
            {
                await ReplyAsync(queue, delivery.BasicProperties, outcome);
                await queue.Channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, Stopping);
                return;
            }

            metrics.ConnectorFailures.WithLabels(Name, topic).Inc();
            if (attempt >= settings.MaxAttempts)
            {
                metrics.ConnectorDeadLetters.WithLabels(Name, topic).Inc();
                LogDeadLettered(log, queue.Function.ToString(), delivery.RoutingKey, attempt, outcome.Description);
                await queue.Channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, Stopping);
                return;
            }

            await Task.Delay(settings.RetryDelayAfter(attempt), Stopping);
            await queue.Channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, Stopping);
        }
        catch (Exception error) when (error is OperationCanceledException or RabbitMQ.Client.Exceptions.RabbitMQClientException or RabbitMQ.Client.Exceptions.OperationInterruptedException or ObjectDisposedException)
        {
            // Not acknowledged: the broker delivers it again once a consumer is back.
            LogUnsettled(log, queue.Function.ToString(), delivery.RoutingKey, error.Message);
        }
    }

    /// <summary>Publishes a successful answer to the message's <c>reply_to</c> (default exchange) and the function's reply topic.</summary>
    private async Task ReplyAsync(FunctionQueue queue, IReadOnlyBasicProperties request, MessageOutcome outcome)
    {
        var targets = new List<(string Exchange, string RoutingKey)>();
        if (request.ReplyTo is { Length: > 0 } replyTo)
        {
            targets.Add(("", replyTo));
        }

        if (queue.ReplyTopic is { } replyTopic)
        {
            targets.Add((options.Exchange, replyTopic));
        }

        if (targets.Count == 0)
        {
            return;
        }

        var properties = new BasicProperties
        {
            Persistent = true,
            CorrelationId = request.CorrelationId ?? request.MessageId,
            ContentType = outcome.ContentType,
            Headers = new Dictionary<string, object?> { ["X-Function-Status"] = outcome.Code, ["X-Function-Name"] = queue.Function.Name },
        };
        await _publishing.WaitAsync(Stopping);
        try
        {
            foreach (var (exchange, routingKey) in targets)
            {
                await _admin!.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, outcome.Body, Stopping);
            }
        }
        finally
        {
            _publishing.Release();
        }
    }

    protected override async ValueTask CloseAsync()
    {
        _queues.Clear();
        if (_connection is { } connection)
        {
            _connection = null;
            _admin = null;
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception error) when (error is RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or ObjectDisposedException or TimeoutException)
            {
                // Closing a connection the broker already dropped.
            }

            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ: {Function} subscribed to {Topic}")]
    private static partial void LogSubscribed(ILogger logger, string function, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ: {Function} could not be subscribed: {Error}")]
    private static partial void LogNotSubscribed(ILogger logger, string function, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ: queue {Queue} exists with other arguments and is used as it is: {Reason}")]
    private static partial void LogQueueKept(ILogger logger, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ: {Function} unsubscribed from {Topic}")]
    private static partial void LogUnbound(ILogger logger, string function, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ: {Function} unsubscribed, its queue deleted")]
    private static partial void LogUnsubscribed(ILogger logger, string function);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ: message {Topic} for {Function} dead-lettered after {Attempts} attempts: {Outcome}")]
    private static partial void LogDeadLettered(ILogger logger, string function, string topic, long attempts, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ: message {Topic} for {Function} left unacknowledged ({Error}); the broker delivers it again")]
    private static partial void LogUnsettled(ILogger logger, string function, string topic, string error);
}
