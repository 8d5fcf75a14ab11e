using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Watchdog.Config;
using Faas.Watchdog.Metrics;

namespace Faas.Watchdog.Server;

/// <summary>
/// A watchdog started ahead of demand (<c>FAAS_STANDBY=1</c>): the runtime is up and the configuration-independent
/// start-up work is done, and it waits for its function's environment as one JSON object on stdin. The
/// local backend keeps a few of these so scaling from zero does not pay for a process start
/// (bench/results/cold-start-local.md). Sockets are not touched before the assignment, so the socket tuning
/// chosen by the function's mode still applies.
/// </summary>
internal static class Standby
{
    public const string Variable = "FAAS_STANDBY";

    /// <summary>Names the directory the function runs in (a bundle's files); applied before the configuration is read.</summary>
    public const string WorkingDirectoryVariable = "FAAS_WORKDIR";

    /// <summary>
    /// Waits for the assignment and merges it into <paramref name="environment"/> and the process environment; false if
    /// stdin closed or a stop signal came first.
    /// </summary>
    public static async Task<bool> WaitForAssignmentAsync(Dictionary<string, string> environment, Lifetime lifetime)
    {
        await WarmUpAsync();
        // Console.In reads synchronously even through ReadLineAsync: on a thread of its own, so a signal can end the wait.
        var read = Task.Run(Console.In.ReadLine);
        if (await Task.WhenAny(read, lifetime.Stopping) != read || await read is not { } line)
        {
            return false;
        }

        Dictionary<string, string>? assignment;
        try
        {
            assignment = JsonSerializer.Deserialize(line, StandbyJson.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            assignment = null;
        }

        if (assignment is null)
        {
            throw new ConfigException("standby assignment", line, "one line with a JSON object of environment variables on stdin");
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

    /// <summary>Runs the start-up code paths that do not depend on the function once, so their first use is already paid for.</summary>
    private static async Task WarmUpAsync()
    {
        if (new[] { "/usr/bin/true", "/bin/true" }.FirstOrDefault(File.Exists) is { } program)
        {
            using var process = Processes.FunctionProcess.Start([program], Processes.FunctionProcess.InheritedEnvironment(), [], ownGroup: true);
            await process.Exited;
        }

        var template = WatchdogConfigParser.Parse(new Dictionary<string, string> { ["mode"] = "static", ["static_path"] = "/", ["port"] = "1", ["metrics_port"] = "2" });
        _ = new WatchdogMetrics().Registry.Render();
        using var server = WatchdogHost.CreateServer(template);
        _ = JsonSerializer.Serialize(new Dictionary<string, string>(), StandbyJson.Default.DictionaryStringString);
    }
}

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StandbyJson : JsonSerializerContext;
