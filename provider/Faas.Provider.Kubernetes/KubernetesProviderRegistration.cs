using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faas.Provider.Kubernetes;

public static class KubernetesProviderRegistration
{
    /// <summary>
    /// Registers the Kubernetes backend as the <see cref="IFunctionProvider"/>, its settings bound from
    /// <paramref name="section"/> (<c>Gateway:Kubernetes</c>). The host calls <see cref="IFunctionProvider.StartAsync"/>
    /// before serving.
    /// </summary>
    public static IServiceCollection AddKubernetesProvider(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<KubernetesProviderOptions>().Bind(section);
        services.AddSingleton<IFunctionProvider>(provider => new KubernetesProvider(
            provider.GetRequiredService<IOptions<KubernetesProviderOptions>>().Value, provider.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
