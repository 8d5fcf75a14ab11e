namespace Faas.Watchdog.Processes;

/// <summary>Copies a request body into a child's stdin and closes it, so the child sees end of input.</summary>
internal static class StdinFeeder
{
    public static async Task FeedAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            // The child stopped reading (exited, or closed stdin) or the invocation ended: nothing more to deliver.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe on close: the child is already gone.
            }
        }
    }
}
