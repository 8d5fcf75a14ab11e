using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faas.Provider.Docker;

public static class DockerProviderRegistration
{
    /// <summary>
    /// Registers the Docker backend as the <see cref="IFunctionProvider"/>, its settings bound from
    /// <paramref name="section"/> (<c>Gateway:Docker</c>) and then <paramref name="configure"/>. The host calls
    /// <see cref="IFunctionProvider.StartAsync"/> before serving.
    /// </summary>
    public static IServiceCollection AddDockerProvider(this IServiceCollection services, IConfiguration section, Action<DockerProviderOptions>? configure = null)
    {
        services.AddOptions<DockerProviderOptions>().Bind(section).Configure(options => configure?.Invoke(options));
        services.AddSingleton<IFunctionProvider>(provider =>
            new DockerProvider(provider.GetRequiredService<IOptions<DockerProviderOptions>>().Value, provider.GetRequiredService<ILogger<DockerProvider>>()));
        return services;
    }
}
