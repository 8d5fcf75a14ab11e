namespace Faas.Conventions;

/// <summary>
/// The headers an invocation carries between caller, gateway, watchdog and function, named as OpenFaaS names them.
/// Each as a string, for Kestrel's path and HTTP clients, and as ASCII bytes, for the fast paths, which match and
/// write raw heads; the two spellings sit side by side here (a test holds them equal).
/// </summary>
public static class InvocationHeaders
{
    /// <summary>The call's id: a caller's own, checked, or a new one; answered and sent on to the function.</summary>
    public const string CallId = "X-Call-Id";

    /// <summary>When the gateway took the call: Unix time in nanoseconds.</summary>
    public const string StartTime = "X-Start-Time";

    /// <summary>A caller's shorter limit for one invocation (see <see cref="RequestTimeout"/>).</summary>
    public const string Timeout = "X-Timeout";

    /// <summary>How long the hop took, in Go's <c>%f</c> form (see <see cref="SecondsText"/>).</summary>
    public const string DurationSeconds = "X-Duration-Seconds";

    /// <summary>How long the call waited for a replica after a scale from zero.</summary>
    public const string ColdStartSeconds = "X-Cold-Start-Seconds";

    public static ReadOnlySpan<byte> CallIdBytes => "X-Call-Id"u8;

    public static ReadOnlySpan<byte> StartTimeBytes => "X-Start-Time"u8;

    public static ReadOnlySpan<byte> TimeoutBytes => "X-Timeout"u8;

    public static ReadOnlySpan<byte> DurationSecondsBytes => "X-Duration-Seconds"u8;

    public static ReadOnlySpan<byte> ColdStartSecondsBytes => "X-Cold-Start-Seconds"u8;
}
