using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faas.Bench.Tools;

/// <summary>
/// A scenario's results: rows for the markdown table, the exact commands, goals and whether they were met.
/// Written to bench/results/&lt;scenario&gt;.json and .md with the machine's core count.
/// </summary>
internal sealed class BenchReport(string scenario)
{
    private readonly List<Dictionary<string, object>> _rows = [];
    private readonly List<string> _commands = [];
    private readonly List<(string Goal, bool Met, string Measured)> _goals = [];
    private readonly List<string> _notes = [];

    public string Scenario => scenario;

    public void AddRow(Dictionary<string, object> row) => _rows.Add(row);

    public void AddCommand(string command)
    {
        if (!_commands.Contains(command))
        {
            _commands.Add(command);
        }
    }

    public void AddGoal(string goal, bool met, string measured) => _goals.Add((goal, met, measured));

    /// <summary>A figure derived from the rows that is not a goal (a bound, a comparison).</summary>
    public void AddNote(string note) => _notes.Add(note);

    public void Write(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var json = new JsonObject
        {
            ["scenario"] = scenario,
            ["date"] = DateTime.UtcNow.ToString("O"),
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = CpuModel,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["invocation"] = Environment.CommandLine,
            ["commands"] = new JsonArray([.. _commands.Select(c => JsonValue.Create(c))]),
            ["rows"] = JsonSerializer.SerializeToNode(_rows),
            ["goals"] = new JsonArray([.. _goals.Select(g => new JsonObject { ["goal"] = g.Goal, ["met"] = g.Met, ["measured"] = g.Measured })]),
            ["notes"] = new JsonArray([.. _notes.Select(n => JsonValue.Create(n))]),
        };
        File.WriteAllText(Path.Combine(directory, scenario + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(directory, scenario + ".md"), ToMarkdown());
    }

    /// <summary>
    /// The processor's model name: a ratio of several processes sharing two cores moves with the host (its syscall and
    /// wake-up costs), so a result says where it was taken.
    /// </summary>
    private static string CpuModel { get; } = File.ReadLines("/proc/cpuinfo")
        .Where(line => line.StartsWith("model name", StringComparison.Ordinal))
        .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
        .FirstOrDefault() ?? "unknown CPU";

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append($"## {scenario}\n\n{Environment.ProcessorCount} cores ({CpuModel}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n");
        if (_rows.Count > 0)
        {
            var columns = _rows.SelectMany(r => r.Keys).Distinct().ToList();
            text.Append("| ").Append(string.Join(" | ", columns)).Append(" |\n");
            text.Append('|').Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
            foreach (var row in _rows)
            {
                text.Append("| ").Append(string.Join(" | ", columns.Select(c => row.TryGetValue(c, out var v) ? Format(v) : ""))).Append(" |\n");
            }
        }

        if (_goals.Count > 0)
        {
            text.Append("\nGoals:\n\n");
            foreach (var (goal, met, measured) in _goals)
            {
                text.Append($"- {(met ? "met" : "NOT met")}: {goal} (measured {measured})\n");
            }
        }

        if (_notes.Count > 0)
        {
            text.Append("\nNotes:\n\n");
            foreach (var note in _notes)
            {
                text.Append($"- {note}\n");
            }
        }

        text.Append("\nCommands:\n\n");
        foreach (var command in _commands)
        {
            text.Append($"- `{command}`\n");
        }

        return text.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString(d >= 100 ? "0" : "0.###", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
