using System.Buffers;
using System.Text;
using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Triggers;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Faas.Gateway.Connectors.Mqtt;

/// <summary>
/// Invokes functions for MQTT messages (MQTTnet, MQTT 5). The gateway keeps one persistent session (a fixed client id,
/// no clean start), so the broker holds QoS 1 messages published while the gateway is away and delivers them when it
/// returns. Each topic filter is subscribed at QoS 1 with a subscription identifier, so a message is routed by the
/// subscriptions it matched. A message is acknowledged once every function it is for has answered 2xx or, after
/// <c>Gateway:Async:MaxAttempts</c> tries with backoff, has been dead-lettered to <c>DEAD-LETTER-TOPIC/NAMESPACE/NAME</c>.
/// The answer goes to the message's response topic and to the function's reply topic. Of several gateway replicas,
/// only the elected one holds the session (a second client with its id would take it over, and back, for ever); the
/// others stand by and take it over, with the messages it kept, when one of them is elected.
/// </summary>
internal sealed partial class MqttConnector(
    IFunctionProvider provider, MessageInvoker invoker, GatewayMetrics metrics, IOptions<AsyncOptions> asyncOptions, string url, MqttOptions options, ILogger<MqttConnector> log)
    : BrokerConnector(provider, log)
{
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _inflight = new(options.MaxInflight, options.MaxInflight);
    private volatile Dictionary<string, List<ConnectorRoute>> _routes = [];
    private volatile TaskCompletionSource _routed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMqttClient? _client;

    public override string Name => TriggerAnnotations.Mqtt;

    public override string Broker { get; } = BrokerUrl.WithoutCredentials(url);

    protected override bool IsConnected => _client?.IsConnected == true;

    protected override bool LeaderOnly => true;

    protected override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await CloseAsync();
        var uri = new Uri(url);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(uri.Host, uri.Port > 0 ? uri.Port : 1883)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (uri.UserInfo.Length > 0)
        {
            var credentials = uri.UserInfo.Split(':', 2);
            builder.WithCredentials(Uri.UnescapeDataString(credentials[0]), credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null);
        }

        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += Received;
        client.DisconnectedAsync += args =>
        {
            // Not when this connector closed it itself (a reconnect, or standing by for the elected replica).
            if (args.ClientWasConnected && !Stopping.IsCancellationRequested && ReferenceEquals(_client, client))
            {
                ConnectionLost(args.Exception?.Message ?? args.Reason.ToString());
            }

            return Task.CompletedTask;
        };
        _client = client;

        // A session's kept messages arrive as soon as it connects: they wait until the first refresh has said where they go.
        _routed.TrySetCanceled();
        _routed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.ConnectAsync(builder.Build(), cancellationToken);
    }

    protected override async Task ApplyAsync(IReadOnlyList<ConnectorRoute> routes, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, List<ConnectorRoute>>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            foreach (var filter in route.Topics)
            {
                (wanted.TryGetValue(filter, out var list) ? list : wanted[filter] = []).Add(route);
            }
        }

        _routes = wanted;
        var client = _client!;
        foreach (var filter in wanted.Keys.Where(filter => !_subscribed.Contains(filter)))
        {
            var subscription = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(topic => topic.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .WithSubscriptionIdentifier(SubscriptionId(filter))
                .Build();
            var result = await client.SubscribeAsync(subscription, cancellationToken);
            if (result.Items.FirstOrDefault() is { } item && item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new InvalidOperationException($"the broker refused the subscription to {filter}: {item.ResultCode}");
            }

            _subscribed.Add(filter);
            LogSubscribed(log, filter);
        }

        foreach (var filter in _subscribed.Where(filter => !wanted.ContainsKey(filter)).ToList())
        {
            await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(filter).Build(), cancellationToken);
            _subscribed.Remove(filter);
            LogUnsubscribed(log, filter);
        }

        _routed.TrySetResult();
    }

    /// <summary>Taken off the client's receive loop at once (with a copy of the message: the client reuses its buffers); invocations run beside it, up to <c>MaxInflight</c>.</summary>
    private Task Received(MqttApplicationMessageReceivedEventArgs received)
    {
        received.AutoAcknowledge = false;
        var message = received.ApplicationMessage;
        var copy = new ReceivedMessage(
            message.Topic, message.Payload.ToArray(), message.Dup, message.ResponseTopic, message.CorrelationData?.ToArray(),
            [.. (message.UserProperties ?? []).Select(property => new KeyValuePair<string, string>(property.Name, Encoding.UTF8.GetString(property.ValueBuffer.Span)))],
            [.. message.SubscriptionIdentifiers ?? []]);
        _ = ProcessAsync(received, copy, _routed.Task);
        return Task.CompletedTask;
    }

    private async Task ProcessAsync(MqttApplicationMessageReceivedEventArgs received, ReceivedMessage message, Task routed)
    {
        try
        {
            await routed.WaitAsync(Stopping);
            await _inflight.WaitAsync(Stopping);
            try
            {
                var matched = Matched(message).ToList();
                await Task.WhenAll(matched.Select(entry => InvokeAsync(entry.Filter, entry.Route, message)));
                await received.AcknowledgeAsync(Stopping);
            }
            finally
            {
                _inflight.Release();
            }
        }
        catch (Exception error) when (error is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
        {
            // Not acknowledged: the session gets it again when the gateway reconnects.
            LogUnsettled(log, message.Topic, error.Message);
        }
    }

    /// <summary>The subscriptions the message came through (by identifier, or by matching when the broker sent none), each function once.</summary>
    private IEnumerable<(string Filter, ConnectorRoute Route)> Matched(ReceivedMessage message)
    {
        var routes = _routes;
        var ids = message.SubscriptionIds;
        var filters = routes.Keys.Where(filter => (ids.Count == 0 || ids.Contains(SubscriptionId(filter)))
            && MqttTopicFilterComparer.Compare(message.Topic, filter) == MqttTopicFilterCompareResult.IsMatch);
        return filters.SelectMany(filter => routes[filter].Select(route => (filter, route))).DistinctBy(entry => entry.route.Function);
    }

    private async Task InvokeAsync(string filter, ConnectorRoute route, ReceivedMessage message)
    {
        var settings = asyncOptions.Value;
        metrics.ConnectorMessages.WithLabels(Name, filter).Inc();
        if (message.Dup)
        {
            metrics.ConnectorRedeliveries.WithLabels(Name, filter).Inc();
        }

        for (var attempt = 1; ; attempt++)
        {
            var outcome = await invoker.InvokeAsync(Name, route.Function, message.Topic, message.Payload, message.UserProperties, Stopping);
            if (outcome.Succeeded)
            {
                foreach (var topic in new[] { message.ResponseTopic, route.ReplyTopic }.OfType<string>().Where(topic => topic.Length > 0).Distinct())
                {
                    await PublishAsync(topic, outcome.Body, message.CorrelationData, [("X-Function-Status", outcome.Code), ("X-Function-Name", route.Function.Name)]);
                }

                return;
            }

            metrics.ConnectorFailures.WithLabels(Name, filter).Inc();
            if (attempt >= settings.MaxAttempts)
            {
                metrics.ConnectorDeadLetters.WithLabels(Name, filter).Inc();
                LogDeadLettered(log, route.Function.ToString(), message.Topic, attempt, outcome.Description);
                await PublishAsync($"{options.DeadLetterTopic}/{route.Function.Namespace}/{route.Function.Name}", message.Payload, message.CorrelationData,
                    [("X-Topic", message.Topic), ("X-Function-Status", outcome.Code), ("X-Reason", outcome.Description)]);
                return;
            }

            await Task.Delay(settings.RetryDelayAfter(attempt), Stopping);
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, byte[]? correlation, (string Name, string Value)[] properties)
    {
        var builder = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (correlation is not null)
        {
            builder.WithCorrelationData(correlation);
        }

        foreach (var (name, value) in properties)
        {
            builder.WithUserProperty(name, Encoding.UTF8.GetBytes(value).AsMemory());
        }

        await _client!.PublishAsync(builder.Build(), Stopping);
    }

    /// <summary>
    /// The same identifier for a filter on every start (FNV-1a of its text, in MQTT's range), so the messages a
    /// session kept while the gateway was away still say which subscription they came through.
    /// </summary>
    private static uint SubscriptionId(string filter)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(filter))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash % 268_435_455u + 1;
    }

    protected override async ValueTask CloseAsync()
    {
        _subscribed.Clear();
        if (_client is { } client)
        {
            _client = null;
            if (client.IsConnected)
            {
                // Keeps the session (and its subscriptions) on the broker: messages wait for the next start.
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
            }

            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: subscribed to {Filter}")]
    private static partial void LogSubscribed(ILogger logger, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: unsubscribed from {Filter}")]
    private static partial void LogUnsubscribed(ILogger logger, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: message on {Topic} for {Function} dead-lettered after {Attempts} attempts: {Outcome}")]
    private static partial void LogDeadLettered(ILogger logger, string function, string topic, int attempts, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: message on {Topic} left unacknowledged ({Error}); the session delivers it again")]
    private static partial void LogUnsettled(ILogger logger, string topic, string error);
}
