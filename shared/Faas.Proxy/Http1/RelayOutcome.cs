namespace Faas.Proxy.Http1;

/// <summary>How a request relayed by <see cref="PipeForwarder"/> ended.</summary>
/// <param name="StatusCode">The upstream's status, when its response reached the client (<see cref="ResponseStarted"/>).</param>
/// <param name="ResponseStarted">Bytes of the response were written to the client: no other answer can be given, only an abort.</param>
/// <param name="ContentLength">The response's declared length, when it had one.</param>
public readonly record struct RelayOutcome(ForwardResult Result, int StatusCode, bool ResponseStarted, long? ContentLength);

/// <summary>Header lines the caller adds to a relayed response, after the upstream's own.</summary>
public interface IResponseHeaderSource
{
    /// <summary>Whether the upstream's field is left out: the caller writes this header itself, or the client must not get it.</summary>
    /// <param name="name">The upstream's field name as received (ASCII bytes, any case).</param>
    /// <param name="value">Its value as received.</param>
    bool Drops(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    void WriteHeaders(HeadBuffer head);
}
