using System.Diagnostics;

namespace Faas.Posix;

/// <summary>
/// Closing a child's redirected standard streams with the child. <see cref="Process.Dispose()"/> leaves them to their
/// finalizers, so every child's pipes stayed open until a collection got to them: a watchdog forking per request
/// held two more descriptors per request, a gateway three per replica it ever started.
/// </summary>
public static class ProcessPipes
{
    /// <summary>Disposes <paramref name="process"/> and closes this side of each stream it was started with redirected.</summary>
    public static void DisposeWithPipes(this Process process)
    {
        var start = process.StartInfo;
        if (start.RedirectStandardInput)
        {
            try
            {
                process.StandardInput.Dispose();
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException)
            {
                // Unwritten input of a child that is gone, or a stream its writer closed already: the descriptor is closed either way.
            }
        }

        if (start.RedirectStandardOutput)
        {
            process.StandardOutput.Dispose();
        }

        if (start.RedirectStandardError)
        {
            process.StandardError.Dispose();
        }

        process.Dispose();
    }
}
