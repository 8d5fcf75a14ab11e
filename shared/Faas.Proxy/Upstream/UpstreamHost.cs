namespace Faas.Proxy.Upstream;

/// <summary>How an upstream endpoint's host goes into a Host header.</summary>
public static class UpstreamHost
{
    /// <summary>An IPv6 address is written in brackets (RFC 7230 §5.4), unless it already has them.</summary>
    public static bool NeedsBrackets(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[');
}
