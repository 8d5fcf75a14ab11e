namespace Faas.Gateway.Configuration;

/// <summary>The web dashboard at <c>/ui/</c> (section <c>Gateway:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>
    /// Where the dashboard is served, such as <c>http://127.0.0.1:8081</c>: an address of its own, apart from the
    /// functions (see <see cref="Faas.Gateway.Security.DashboardOrigin"/>). Empty: no dashboard.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>How often each function's history is sampled; 15 minutes of points are kept.</summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dashboard sign-in lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
