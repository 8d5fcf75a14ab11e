using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Faas.Bench.Tools;

/// <summary>One wrk run and what it measured; the CPU figures are filled in by the caller that sampled the process.</summary>
internal sealed record WrkResult(string Command, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests)
{
    /// <summary>The measured process's user CPU time per request, in microseconds.</summary>
    public double? UserMicrosecondsPerRequest { get; init; }

    /// <summary>The measured process's kernel CPU time per request, in microseconds.</summary>
    public double? SystemMicrosecondsPerRequest { get; init; }
}

/// <summary>Runs wrk (Debian package wrk) against a loopback URL and parses its --latency report.</summary>
internal static partial class Wrk
{
    /// <param name="script">A wrk Lua script (for example one that sets the method and body), or null for GETs.</param>
    public static async Task<WrkResult> RunAsync(string url, int threads, int connections, TimeSpan duration, string? script = null)
    {
        string[] arguments = [$"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", .. script is null ? Array.Empty<string>() : ["-s", script], url];
        var command = "wrk " + string.Join(' ', arguments);
        var info = new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} failed: {output}{await process.StandardError.ReadToEndAsync()}");
        }

        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        errors += SocketErrors().Matches(output).Sum(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new WrkResult(command, rps, Percentile(output, "50%"), Percentile(output, "99%"), errors, requests);
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
