using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using System.Text.Json.Serialization;
using Faas.Watchdog.Config;

namespace Faas.Watchdog.Server;

/// <summary>
/// <c>FAAS_ENVIRONMENT=stdin</c> (the local backend sets it): the function's variables come as one JSON object on the
/// first line of stdin, not in the watchdog's environment. The programs that start the watchdog in its sandbox
/// (bubblewrap, setpriv) run as root with the environment they are given, and the dynamic loader obeys it
/// (<c>LD_PRELOAD</c>, <c>LD_DEBUG_OUTPUT</c>): a function's variables must never be there. A standby
/// (<see cref="Standby"/>) reads the same line when it is handed its function.
/// </summary>
internal static class Assignment
{
    public const string Variable = "FAAS_ENVIRONMENT";

    /// <summary>Names the directory the function runs in (a bundle's files); applied before the configuration is read.</summary>
    public const string WorkingDirectoryVariable = "FAAS_WORKDIR";

    public static bool IsOnStdin(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault(Variable) == "stdin";

    /// <summary>
    /// The first line of stdin (without its newline); null if stdin ends before any. Read from descriptor 0 itself:
    /// <c>Console.In</c> would set up the console's signal handling before <see cref="Lifetime"/> has restored SIGINT.
    /// Nothing follows the line (the rest of stdin is the lifeline), so reading past it loses nothing.
    /// </summary>
    public static string? ReadFirstLine()
    {
        using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        var line = new ArrayBufferWriter<byte>();
        Span<byte> chunk = stackalloc byte[4096];
        while (stdin.Read(chunk) is var read and > 0)
        {
            var end = chunk[..read].IndexOf((byte)'\n');
            line.Write(chunk[..(end >= 0 ? end : read)]);
            if (end >= 0)
            {
                return Encoding.UTF8.GetString(line.WrittenSpan);
            }
        }

        return line.WrittenCount > 0 ? Encoding.UTF8.GetString(line.WrittenSpan) : null;
    }

    /// <summary>
    /// Merges the assignment <paramref name="line"/> into <paramref name="environment"/> and the process environment
    /// (which the function inherits); false if there is none (stdin closed).
    /// </summary>
    public static bool Apply(string? line, Dictionary<string, string> environment)
    {
        if (line is null)
        {
            return false;
        }

        Dictionary<string, string>? assignment;
        try
        {
            assignment = JsonSerializer.Deserialize(line, AssignmentJson.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            assignment = null;
        }

        if (assignment is null)
        {
            throw new ConfigException("function assignment", line, "one line with a JSON object of environment variables on stdin");
        }

        foreach (var (name, value) in assignment)
        {
            environment[name] = value;
            Environment.SetEnvironmentVariable(name, value);
        }

        if (assignment.TryGetValue(WorkingDirectoryVariable, out var directory))
        {
            Directory.SetCurrentDirectory(directory);
        }

        return true;
    }
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AssignmentJson : JsonSerializerContext;
