namespace Faas.Proxy;

/// <summary>Where one request goes: an upstream endpoint and the request-target (path and query, already encoded).</summary>
public readonly record struct UpstreamTarget(string Host, int Port, string PathAndQuery);
