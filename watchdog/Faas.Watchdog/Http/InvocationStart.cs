namespace Faas.Watchdog.Http;

/// <summary>When the watchdog began serving an invocation; a request feature so modes can report X-Duration-Seconds without a closure per request.</summary>
internal sealed record InvocationStart(long Timestamp);
