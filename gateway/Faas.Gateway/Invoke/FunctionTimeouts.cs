using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Faas.Provider;
using Faas.Provider.Timeouts;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Each function's timeout: its <c>faas.timeout</c> bounded by the gateway's <c>UpstreamTimeout</c> (which is also
/// the default). Read from the provider at most every few seconds per function, so an update takes effect promptly
/// without a provider call per invocation.
/// </summary>
public sealed class FunctionTimeouts(IFunctionProvider provider, IOptions<GatewayOptions> options)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<FunctionKey, Entry> _entries = new();

    /// <summary>A timeout and its <c>X-Timeout</c> form, formatted once per function rather than per request.</summary>
    public readonly record struct Limit(TimeSpan Value, string Header)
    {
        public static Limit Of(TimeSpan value) => new(value, FunctionTimeout.Format(value));
    }

    /// <summary>Synchronous while the function's entry is fresh: it is asked on every invocation.</summary>
    public ValueTask<Limit> ForAsync(FunctionKey function, CancellationToken cancellationToken) =>
        _entries.TryGetValue(function, out var entry) && entry.ExpiresAt > Environment.TickCount64
            ? new ValueTask<Limit>(entry.Timeout)
            : ReadAsync(function, cancellationToken);

    private async ValueTask<Limit> ReadAsync(FunctionKey function, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var maximum = options.Value.UpstreamTimeout;
        try
        {
            var status = await provider.GetAsync(function.Name, function.Namespace, cancellationToken);
            var timeout = Limit.Of(FunctionTimeout.Read(status.Labels, status.Annotations) is { } own && own < maximum ? own : maximum);
            _entries[function] = new Entry(timeout, now + (long)Freshness.TotalMilliseconds);
            return timeout;
        }
        catch (ProviderException error) when (error.Kind == ProviderError.NotFound)
        {
            _entries.TryRemove(function, out _);
            throw;
        }
    }

    private readonly record struct Entry(Limit Timeout, long ExpiresAt);
}
