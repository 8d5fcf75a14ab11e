namespace Faas.Nats.JetStream;

/// <summary>The JetStream API said no: its HTTP-like code, its error code and description.</summary>
public sealed class JetStreamException(ApiError error, string operation)
    : NatsException($"{operation}: {error.Description} (code {error.Code}, err_code {error.ErrorCode})")
{
    public const int StreamNameInUse = 10058;

    public ApiError Error { get; } = error;
}
