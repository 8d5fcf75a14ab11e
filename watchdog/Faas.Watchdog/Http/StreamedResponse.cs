using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>
/// A response body fed by one or more child output streams. The status line goes out with the first byte
/// (so an error before any output can still be a 5xx), and every chunk is flushed as soon as it is read.
/// </summary>
internal sealed class StreamedResponse(HttpResponse response, string contentType, long startTimestamp) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public bool Started => response.HasStarted;

    /// <summary>Body bytes sent so far.</summary>
    public long BytesWritten { get; private set; }

    public async Task CopyFromAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                StartIfNeeded();
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                BytesWritten += read;
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Sends the headers of an empty 200 if the function produced no output at all.</summary>
    public void StartIfNeeded()
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            DurationHeader.Set(response, startTimestamp);
        }
    }

    public void Dispose() => _gate.Dispose();
}
