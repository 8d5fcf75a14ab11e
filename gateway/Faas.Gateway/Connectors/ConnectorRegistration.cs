using Faas.Gateway.Connectors.Mqtt;
using Faas.Gateway.Connectors.RabbitMq;

namespace Faas.Gateway.Connectors;

/// <summary>Registers the connectors whose broker URL is configured, each as a hosted service and an <see cref="IConnector"/>.</summary>
internal static class ConnectorRegistration
{
    /// <exception cref="ArgumentException">A URL (or the file that holds it) that cannot work, named by its setting; never with the credentials.</exception>
    public static void AddConnectors(this IServiceCollection services, IConfiguration section)
    {
        var options = section.Get<ConnectorOptions>() ?? new ConnectorOptions();
        services.AddSingleton<MessageInvoker>();
        if (Url("RabbitMq", options.RabbitMq.Url, options.RabbitMq.UrlFile, "amqp", "amqps") is { } rabbitMq)
        {
            if (options.RabbitMq.Prefetch == 0)
            {
                throw new ArgumentException("invalid Gateway:Connectors:RabbitMq:Prefetch=0: expected a whole number of at least 1");
            }

            Add(services, provider => ActivatorUtilities.CreateInstance<RabbitMqConnector>(provider, rabbitMq, options.RabbitMq));
        }

        if (Url("Mqtt", options.Mqtt.Url, options.Mqtt.UrlFile, "mqtt") is { } mqtt)
        {
            if (options.Mqtt.MaxInflight < 1 || options.Mqtt.ClientId.Length == 0)
            {
                throw new ArgumentException($"invalid Gateway:Connectors:Mqtt settings: MaxInflight must be at least 1 (is {options.Mqtt.MaxInflight}) and ClientId must be set");
            }

            Add(services, provider => ActivatorUtilities.CreateInstance<MqttConnector>(provider, mqtt, options.Mqtt));
        }
    }

    private static void Add<T>(IServiceCollection services, Func<IServiceProvider, T> create)
        where T : BrokerConnector
    {
        services.AddSingleton(create);
        services.AddSingleton<IConnector>(provider => provider.GetRequiredService<T>());
        services.AddHostedService(provider => provider.GetRequiredService<T>());
    }

    private static string? Url(string connector, string? url, string? file, params string[] schemes)
    {
        string? resolved;
        try
        {
            resolved = ConnectorOptions.ResolveUrl(url, file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"invalid Gateway:Connectors:{connector}:UrlFile=\"{file}\": {error.Message}", error);
        }

        if (string.IsNullOrEmpty(resolved))
        {
            return null;
        }

        return BrokerUrl.IsValid(resolved, schemes)
            ? resolved
            : throw new ArgumentException($"invalid Gateway:Connectors:{connector}:Url=\"{BrokerUrl.WithoutCredentials(resolved)}\": expected a URL such as {schemes[0]}://USER:PASSWORD@127.0.0.1:{(connector == "Mqtt" ? 1883 : 5672)}");
    }
}
