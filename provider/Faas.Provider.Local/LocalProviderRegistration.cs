using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faas.Provider.Local;

public static class LocalProviderRegistration
{
    /// <summary>
    /// Registers the local backend as the <see cref="IFunctionProvider"/> (it also stores bundles), its settings bound
    /// from <paramref name="section"/> (<c>Gateway:Local</c>) and then <paramref name="configure"/>. The host calls
    /// <see cref="IFunctionProvider.StartAsync"/> before serving.
    /// </summary>
    public static IServiceCollection AddLocalProvider(this IServiceCollection services, IConfiguration section, Action<LocalProviderOptions>? configure = null)
    {
        services.AddOptions<LocalProviderOptions>().Bind(section).Configure(options => configure?.Invoke(options));
        services.AddSingleton<IFunctionProvider>(provider =>
            new LocalProvider(provider.GetRequiredService<IOptions<LocalProviderOptions>>().Value, provider.GetRequiredService<ILogger<LocalProvider>>()));
        return services;
    }
}
