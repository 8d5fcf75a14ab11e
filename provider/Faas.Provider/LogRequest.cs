namespace Faas.Provider;

/// <summary>Which log lines to read: faas-provider's logs.Request (<c>since</c>, <c>tail</c>, <c>follow</c>, <c>instance</c>).</summary>
public sealed record LogRequest(string Name, string Namespace)
{
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only the last N lines that match; null for all.</summary>
    public int? Tail { get; init; }

    public bool Follow { get; init; }

    public string? Instance { get; init; }
}
