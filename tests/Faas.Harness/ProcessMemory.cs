namespace Faas.Harness;

/// <summary>Resident set size of a process, from /proc.</summary>
public static class ProcessMemory
{
    public static double RssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
