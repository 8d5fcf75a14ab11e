namespace Faas.Gateway.Configuration;

/// <summary>The web dashboard at <c>/ui/</c> (section <c>Gateway:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>How often each function's history is sampled; 15 minutes of points are kept.</summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dashboard sign-in lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
