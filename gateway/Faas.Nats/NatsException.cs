namespace Faas.Nats;

/// <summary>A failure talking to NATS: the server's <c>-ERR</c>, a lost connection, a payload too large.</summary>
public class NatsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A request found no subscriber (the server's 503 no-responders status).</summary>
public sealed class NatsNoRespondersException(string subject) : NatsException($"no responders on {subject}");

/// <summary>A request's reply did not come in time.</summary>
public sealed class NatsTimeoutException(string subject, TimeSpan timeout) : NatsException($"no reply on {subject} within {timeout.TotalSeconds:0.###}s");
