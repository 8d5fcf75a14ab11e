using Microsoft.Win32.SafeHandles;

namespace Faas.Watchdog.Server;

/// <summary>
/// <c>FAAS_READY_FD=N</c> (the local backend passes a pipe as descriptor 3): once ready, the watchdog writes a newline to
/// descriptor N and closes it, as s6's notification-fd does, so the backend routes the replica at that moment instead of
/// at the next step of its health checks' back-off. It is written only when <c>/_/health</c> answers 200 (the function
/// is ready), so the backend does not check again. The descriptor is close-on-exec here (marked at start), so the
/// function never holds it.
/// </summary>
internal static class ReadyReport
{
    public const string Variable = "FAAS_READY_FD";

    public static void Send(int? descriptor)
    {
        if (descriptor is not { } number)
        {
            return;
        }

        try
        {
            using var report = new FileStream(new SafeFileHandle(number, ownsHandle: true), FileAccess.Write, bufferSize: 0);
            report.WriteByte((byte)'\n');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The reader is gone or the descriptor is not a pipe: the backend's health probe finds the replica anyway.
        }
    }
}
