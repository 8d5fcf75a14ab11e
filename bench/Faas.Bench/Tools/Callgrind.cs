using System.Diagnostics;
using System.Globalization;
using Faas.Harness;

namespace Faas.Bench.Tools;

/// <summary>
/// Runs programs under valgrind's callgrind (Debian package valgrind), which counts the instructions they execute in
/// user space. The counters are zeroed and dumped on request (callgrind_control), so a count covers one load and
/// nothing before it. Valgrind runs a program about fifty times slower; it is for counting, not timing.
/// </summary>
internal sealed class Callgrind : IDisposable
{
    private readonly TempDirectory _directory = new("faas-bench-callgrind-");

    private string OutFile => Path.Combine(_directory.Path, "callgrind.out");

    /// <summary>Where valgrind and callgrind_control find each other, apart from any other valgrind run's.</summary>
    private string VgdbPrefix => Path.Combine(_directory.Path, "vgdb");

    /// <summary>What runs a program under callgrind: valgrind and its options, the program and its arguments follow.</summary>
    public IReadOnlyList<string> Launcher => ["valgrind", "--tool=callgrind", $"--callgrind-out-file={OutFile}", $"--vgdb-prefix={VgdbPrefix}"];

    public Task ZeroAsync(int pid) => ControlAsync(pid, "--zero");

    /// <summary>The instructions the process executed since its counters were last zeroed.</summary>
    public async Task<long> DumpAsync(int pid)
    {
        var before = Dumps();
        await ControlAsync(pid, "--dump");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var dump in Dumps().Except(before))
            {
                if (Total(dump) is long total)
                {
                    return total;
                }
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"callgrind wrote no dump for process {pid} in {_directory.Path}");
    }

    public void Dispose() => _directory.Dispose();

    private string[] Dumps() => Directory.GetFiles(_directory.Path, "callgrind.out*");

    /// <summary>The dump's total (its <c>summary:</c> or <c>totals:</c> line), or null while it is being written.</summary>
    private static long? Total(string dump)
    {
        foreach (var line in File.ReadLines(dump))
        {
            if ((line.StartsWith("summary: ", StringComparison.Ordinal) || line.StartsWith("totals: ", StringComparison.Ordinal))
                && long.TryParse(line.AsSpan(line.IndexOf(' ') + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            {
                return total;
            }
        }

        return null;
    }

    private async Task ControlAsync(int pid, string action)
    {
        var info = new ProcessStartInfo("callgrind_control", [$"--vgdb-prefix={VgdbPrefix}", action, pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var control = Process.Start(info) ?? throw new InvalidOperationException("callgrind_control did not start");
        var output = await control.StandardOutput.ReadToEndAsync();
        await control.WaitForExitAsync();
        if (control.ExitCode != 0)
        {
            throw new InvalidOperationException($"callgrind_control {action} {pid} failed: {output}{await control.StandardError.ReadToEndAsync()}");
        }
    }
}
