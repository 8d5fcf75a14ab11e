namespace Faas.Watchdog.Config;

/// <summary>How the watchdog runs the function (of-watchdog's modes, minus the Go-only inproc and the never-built afterburn).</summary>
internal enum WatchdogMode
{
    /// <summary>One process per request; stdout is streamed to the response as it is produced.</summary>
    Streaming,

    /// <summary>One process per request; the whole output is buffered, a non-zero exit is a 500.</summary>
    Serializing,

    /// <summary>One long-running process serving HTTP on <c>upstream_url</c>; requests are reverse-proxied to it.</summary>
    Http,

    /// <summary>Files under <c>static_path</c>.</summary>
    Static,
}
