using System.Globalization;
using System.Net;
using Faas.Conventions;
using Faas.Watchdog.Server;

namespace Faas.Watchdog.Config;

/// <summary>
/// Reads the watchdog's configuration from environment variables with of-watchdog's names and defaults.
/// Every problem is a <see cref="ConfigException"/> naming the variable, its value and the accepted form.
/// </summary>
internal static class WatchdogConfigParser
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static WatchdogConfig Parse(IReadOnlyDictionary<string, string> environment)
    {
        string? Get(params string[] names) =>
            names.Select(name => environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null)
                 .FirstOrDefault(value => value is not null);

        var mode = ParseMode(Get("mode"));
        var writeTimeout = ParseDuration("write_timeout", Get("write_timeout"), DefaultTimeout);
        if (writeTimeout <= TimeSpan.Zero)
        {
            throw new ConfigException("write_timeout", Get("write_timeout"), "a duration greater than zero");
        }

        var functionProcess = ParseFunctionProcess(Get("fprocess", "function_process"), Get("PATH"), required: mode != WatchdogMode.Static);
        var upstream = ParseUpstream(Get("upstream_url", "http_upstream_url"), required: mode == WatchdogMode.Http);
        var port = ParsePort("port", Get("port"), 8080);
        var metricsPort = ParsePort("metrics_port", Get("metrics_port"), 8081);
        if (metricsPort == port)
        {
            throw new ConfigException("metrics_port", metricsPort.ToString(CultureInfo.InvariantCulture), $"a port different from port ({port})");
        }

        var staticPath = Get("static_path") ?? "/home/app/public";
        if (mode == WatchdogMode.Static && !Directory.Exists(staticPath))
        {
            throw new ConfigException("static_path", staticPath, "an existing directory");
        }

        return new WatchdogConfig
        {
            Mode = mode,
            FunctionProcess = functionProcess,
            UpstreamUrl = upstream,
            ListenAddress = ParseAddress(Get("listen_address")),
            Port = port,
            MetricsPort = metricsPort,
            ReadTimeout = ParseDuration("read_timeout", Get("read_timeout"), DefaultTimeout),
            WriteTimeout = writeTimeout,
            ExecTimeout = ParseDuration("exec_timeout", Get("exec_timeout"), DefaultTimeout),
            HealthcheckInterval = ParseDuration("healthcheck_interval", Get("healthcheck_interval"), writeTimeout),
            IdleMemoryCheck = ParseDuration("idle_memory_check", Get("idle_memory_check"), TimeSpan.FromSeconds(5)),
            MaxInflight = ParseInt("max_inflight", Get("max_inflight"), 0, minimum: 0),
            ReadyPath = ParseReadyPath(Get("ready_path")),
            PrefixLogs = ParseBool("prefix_logs", Get("prefix_logs"), true),
            LogBufferSize = ParseLogBufferSize(Get("log_buffer_size")),
            ContentType = ParseContentType(Get("content_type")),
            CombineOutput = ParseBool("combine_output", Get("combine_output"), false),
            StaticPath = Path.GetFullPath(staticPath),
            SuppressLock = ParseBool("suppress_lock", Get("suppress_lock"), false),
            BufferHttp = ParseBool("buffer_http", Get("buffer_http", "http_buffer_req_body"), false),
            SchedBatch = ParseBool("sched_batch", Get("sched_batch"), true),
            HttpFastPath = ParseBool("http_fast_path", Get("http_fast_path"), true),
            LockFilePath = Path.Combine(Get("TMPDIR") ?? "/tmp", ".lock"),
            ReadyDescriptor = Get(ReadyReport.Variable) is { } readyDescriptor ? ParseInt(ReadyReport.Variable, readyDescriptor, 0, minimum: 3) : null,
            LogInvocations = ParseLogLevel(Get("log_level")),
            FunctionLabel = Get("FAAS_FUNCTION_NAME") is { Length: > 0 } name
                ? Get("FAAS_FUNCTION_NAMESPACE") is { Length: > 0 } ns ? $"{name}.{ns}" : name
                : "function",
        };
    }

    private static string ParseContentType(string? value) =>
        value is null ? "application/octet-stream"
        : System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(value, out _) ? value
        : throw new ConfigException("content_type", value, "a media type such as text/plain or application/json; charset=utf-8");

    private static WatchdogMode ParseMode(string? value) => value?.ToLowerInvariant() switch
    {
        null or "streaming" => WatchdogMode.Streaming,
        "serializing" => WatchdogMode.Serializing,
        "http" => WatchdogMode.Http,
        "static" => WatchdogMode.Static,
        _ => throw new ConfigException("mode", value, "one of streaming, serializing, http, static"),
    };

    private static IReadOnlyList<string> ParseFunctionProcess(string? value, string? searchPath, bool required)
    {
        if (value is null)
        {
            return required ? throw new ConfigException("fprocess", null, "the function's command line, for example \"cat\"") : [];
        }

        if (!CommandLine.TrySplit(value, out var arguments) || arguments.Count == 0)
        {
            throw new ConfigException("fprocess", value, "a command line with balanced quotes");
        }

        var program = ExecutableSearch.Resolve(arguments[0], searchPath)
            ?? throw new ConfigException("fprocess", value, $"a program that exists: '{arguments[0]}' is not an executable file or on PATH");
        return [program, .. arguments.Skip(1)];
    }

    private static Uri? ParseUpstream(string? value, bool required)
    {
        if (value is null)
        {
            return required ? throw new ConfigException("upstream_url", null, "the function's own URL in http mode, for example http://127.0.0.1:3000") : null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ConfigException("upstream_url", value, "an absolute http:// URL");
        }

        return uri;
    }

    private static IPAddress ParseAddress(string? value)
    {
        if (value is null)
        {
            return IPAddress.Any;
        }

        return IPAddress.TryParse(value, out var address)
            ? address
            : throw new ConfigException("listen_address", value, "an IP address such as 127.0.0.1 or 0.0.0.0");
    }

    private static int ParsePort(string name, string? value, int fallback)
    {
        var port = ParseInt(name, value, fallback, minimum: 1);
        return port <= 65535 ? port : throw new ConfigException(name, value, "a TCP port from 1 to 65535");
    }

    private static int ParseInt(string name, string? value, int fallback, int minimum)
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ConfigException(name, value, $"a whole number of at least {minimum}");
    }

    private static int ParseLogBufferSize(string? value)
    {
        if (value == "-1")
        {
            return int.MaxValue;
        }

        return ParseInt("log_buffer_size", value, 64 * 1024, minimum: 1);
    }

    private static TimeSpan ParseDuration(string name, string? value, TimeSpan fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return Duration.TryParse(value, out var duration) ? duration : throw new ConfigException(name, value, Duration.AcceptedForm);
    }

    private static bool ParseBool(string name, string? value, bool fallback) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ConfigException(name, value, "true, false, 1 or 0"),
    };

    private static string? ParseReadyPath(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return value.StartsWith('/') ? value : throw new ConfigException("ready_path", value, "a path starting with /");
    }

    private static bool ParseLogLevel(string? value) => value?.ToLowerInvariant() switch
    {
        null or "info" or "debug" => true,
        "warn" or "error" => false,
        _ => throw new ConfigException("log_level", value, "info, debug, warn or error"),
    };
}
