using System.Globalization;

namespace Faas.Gateway.Configuration;

/// <summary>
/// Settings that would quietly stop work (a queue worker that takes nothing, a timeout of zero, a window of nothing)
/// are refused at start: the gateway exits 2 with one line naming the setting, its value and what it must be.
/// </summary>
internal static class SettingsCheck
{
    /// <exception cref="ArgumentException">The first setting out of range.</exception>
    public static void Validate(GatewayOptions gateway, AsyncOptions async)
    {
        var scaling = gateway.Autoscaling;
        var problem =
            Positive("Gateway:UpstreamTimeout", gateway.UpstreamTimeout)
            ?? Positive("Gateway:ScaleFromZeroTimeout", gateway.ScaleFromZeroTimeout)
            ?? (gateway.MaxRequestBodySize is <= 0 ? Bad("Gateway:MaxRequestBodySize", gateway.MaxRequestBodySize.Value, "a number of bytes above 0, or empty for no limit") : null)
            ?? Positive("Gateway:Dashboard:HistoryInterval", gateway.Dashboard.HistoryInterval)
            ?? Positive("Gateway:Dashboard:SessionIdleTimeout", gateway.Dashboard.SessionIdleTimeout)
            ?? Security.DashboardOrigin.Check(gateway.Dashboard.Url)
            ?? Positive("Gateway:Autoscaling:Interval", scaling.Interval)
            ?? (scaling.StabilizationWindow < TimeSpan.Zero ? Bad("Gateway:Autoscaling:StabilizationWindow", scaling.StabilizationWindow, "a duration of 0 or more") : null)
            ?? (scaling.ScaleDownFraction is < 0 or >= 1 ? Bad("Gateway:Autoscaling:ScaleDownFraction", scaling.ScaleDownFraction, "a fraction from 0 up to (not including) 1") : null)
            ?? Positive("Gateway:Autoscaling:RpsWindow", scaling.RpsWindow)
            ?? AtLeast("Gateway:Async:MaxInflight", async.MaxInflight, 1)
            ?? AtLeast("Gateway:Async:MaxAttempts", async.MaxAttempts, 1)
            ?? Positive("Gateway:Async:RetryDelay", async.RetryDelay)
            ?? (async.MaxRetryDelay < async.RetryDelay ? Bad("Gateway:Async:MaxRetryDelay", async.MaxRetryDelay, $"a duration of at least Gateway:Async:RetryDelay ({async.RetryDelay})") : null)
            ?? Positive("Gateway:Async:AckWait", async.AckWait)
            ?? (async.MaxBodySize <= 0 ? Bad("Gateway:Async:MaxBodySize", async.MaxBodySize, "a number of bytes above 0") : null)
            ?? Positive("Gateway:Async:EnqueueTimeout", async.EnqueueTimeout)
            ?? CheckNatsUrl(async.NatsUrl)
            ?? Async.CallbackTargets.CheckSetting(Async.CallbackTargets.AllowedSetting, async.CallbackAllowedNetworks)
            ?? Async.CallbackTargets.CheckSetting(Async.CallbackTargets.DeniedSetting, async.CallbackDeniedNetworks);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    /// <summary>A NATS URL must say where the server is; whether it answers is found out later, and may change.</summary>
    private static string? CheckNatsUrl(string? url) =>
        string.IsNullOrEmpty(url) || Connectors.BrokerUrl.IsValid(url, "nats", "tls", "ws", "wss")
            ? null
            : $"invalid Gateway:Async:NatsUrl=\"{Connectors.BrokerUrl.WithoutCredentials(url)}\": expected a URL such as nats://127.0.0.1:4222 (user and password or token allowed)";

    private static string? Positive(string name, TimeSpan value) => value > TimeSpan.Zero ? null : Bad(name, value, "a duration above 0");

    private static string? AtLeast(string name, int value, int minimum) =>
        value >= minimum ? null : Bad(name, value, $"a whole number of at least {minimum.ToString(CultureInfo.InvariantCulture)}");

    private static string Bad(string name, IFormattable value, string expected) =>
        $"invalid {name}={value.ToString(null, CultureInfo.InvariantCulture)}: expected {expected}";
}
