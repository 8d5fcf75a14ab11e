namespace Faas.Gateway.Async;

/// <summary>The async queue cannot take a request now (its server is down or did not answer in time); callers answer 503.</summary>
internal sealed class QueueUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
