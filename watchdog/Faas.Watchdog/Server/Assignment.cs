using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Faas.Watchdog.Config;

namespace Faas.Watchdog.Server;

/// <summary>
/// <c>FAAS_ENVIRONMENT=stdin</c> (the local backend sets it): the function's variables come as one JSON object on the
/// first line of stdin, not in the watchdog's environment. The programs that make its sandbox (bubblewrap), and the
/// watchdog itself until it leaves root (<see cref="RunAs"/>), run as root with the environment they are given, and
/// the dynamic loader obeys it (<c>LD_PRELOAD</c>, <c>LD_DEBUG_OUTPUT</c>): a function's variables must never be there. A standby
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
    public static byte[]? ReadFirstLine()
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
                return line.WrittenSpan.ToArray();
            }
        }

        return line.WrittenCount > 0 ? line.WrittenSpan.ToArray() : null;
    }

    /// <summary>
    /// Merges the assignment <paramref name="line"/> into <paramref name="environment"/> and the process environment
    /// (which the function inherits); false if there is none (stdin closed).
    /// </summary>
    public static bool Apply(byte[]? line, Dictionary<string, string> environment)
    {
        if (line is null)
        {
            return false;
        }

        var assignment = Parse(line)
            ?? throw new ConfigException("function assignment", Encoding.UTF8.GetString(line), "one line with a JSON object of environment variables (string values) on stdin");
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

    /// <summary>
    /// A flat JSON object of strings; null if <paramref name="json"/> is anything else. Read with
    /// <see cref="Utf8JsonReader"/>, not the serializer, whose set-up added 1 MB to every replica's idle memory
    /// (9.6 against 8.6 MB, watchdog-start side by side).
    /// </summary>
    internal static Dictionary<string, string>? Parse(ReadOnlySpan<byte> json)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                variables[name] = reader.GetString()!;
            }

            // The object's end, and nothing after it.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? variables : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
