namespace Faas.Gateway.Configuration;

/// <summary>Autoscaler settings (section <c>Gateway:Autoscaling</c>).</summary>
public sealed class AutoscalingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often load is measured and a decision made for every autoscaled function.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Load must stay low this long before a function is scaled down.</summary>
    public TimeSpan StabilizationWindow { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>The share of replicas removed per step down (0: one at a time).</summary>
    public double ScaleDownFraction { get; set; }

    /// <summary>The sliding window over which <c>rps</c> functions' request rate is measured.</summary>
    public TimeSpan RpsWindow { get; set; } = TimeSpan.FromSeconds(10);
}
