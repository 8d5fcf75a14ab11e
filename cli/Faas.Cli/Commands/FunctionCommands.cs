using System.CommandLine;
using System.Globalization;
using Faas.Provider.Timeouts;
using Spectre.Console;

namespace Faas.Cli.Commands;

/// <summary><c>list</c>, <c>describe</c>, <c>remove</c> and <c>scale</c>: functions as the gateway reports them.</summary>
internal static class FunctionCommands
{
    public static IEnumerable<Command> Create()
    {
        var list = new Command("list", "List the deployed functions") { };
        list.Aliases.Add("ls");
        list.SetAction(async (result, cancellationToken) =>
        {
            using var client = CliOptions.Client(result);
            var functions = await client.ListAsync(CliOptions.NamespaceOf(result), cancellationToken);
            var verbose = result.GetValue(CliOptions.Verbose);
            var table = new Table().Border(TableBorder.None).HideRowSeparators();
            table.AddColumn("Function");
            if (verbose)
            {
                table.AddColumn("Image");
            }

            table.AddColumns("Invocations", "Replicas");
            foreach (var function in functions.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var cells = new List<string> { function.Name };
                if (verbose)
                {
                    cells.Add(function.Image);
                }

                cells.Add(function.InvocationCount.ToString(CultureInfo.InvariantCulture));
                cells.Add(function.Replicas.ToString(CultureInfo.InvariantCulture));
                table.AddRow([.. cells.Select(Markup.Escape)]);
            }

            Output.Write(table);
            return 0;
        });
        yield return list;

        var describeName = new Argument<string>("name");
        var describe = new Command("describe", "Show one function's details") { describeName };
        describe.SetAction(async (result, cancellationToken) =>
        {
            using var client = CliOptions.Client(result);
            var name = result.GetValue(describeName)!;
            var function = await client.DescribeAsync(name, CliOptions.NamespaceOf(result), cancellationToken);
            var route = $"{function.Name}{(function.Namespace is { Length: > 0 } ns ? "." + ns : "")}";
            var rows = new List<(string, string?)>
            {
                ("Name", function.Name),
                ("Namespace", function.Namespace),
                ("Status", function.AvailableReplicas > 0 ? "Ready" : "Not Ready"),
                ("Replicas", function.Replicas.ToString(CultureInfo.InvariantCulture)),
                ("Available replicas", function.AvailableReplicas.ToString(CultureInfo.InvariantCulture)),
                ("Invocations", function.InvocationCount.ToString(CultureInfo.InvariantCulture)),
                ("Image", function.Image),
                ("Function process", function.EnvProcess),
                ("Timeout", FunctionTimeout.Raw(function.Labels, function.Annotations) ?? "the gateway's maximum"),
                ("URL", $"{client.Url}/function/{route}"),
                ("Async URL", $"{client.Url}/async-function/{route}"),
                ("Labels", Pairs(function.Labels)),
                ("Annotations", Pairs(function.Annotations)),
                ("Created", function.CreatedAt.ToString("u", CultureInfo.InvariantCulture)),
            };
            if (function.Scaling is { } scaling)
            {
                rows.Add(("Scaling", scaling.Policy));
                rows.Add(("Last decision", $"{scaling.LastDecision} ({scaling.DecidedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})"));
            }

            if (function.Restarts > 0 || function.CrashLooping)
            {
                rows.Add(("Restarts", function.Restarts.ToString(CultureInfo.InvariantCulture)));
                rows.Add(("Last exit", function.LastExit));
                rows.Add(("Crash looping", function.CrashLooping ? "yes" : "no"));
            }

            foreach (var (label, value) in rows)
            {
                Console.WriteLine($"{label + ":",-20}{(string.IsNullOrEmpty(value) ? "<none>" : value)}");
            }

            return 0;
        });
        yield return describe;

        var removeNames = new Argument<string[]>("name") { Arity = ArgumentArity.ZeroOrMore, Description = "Functions to remove (default: the stack file's)" };
        var remove = new Command("remove", "Remove functions") { removeNames, CliOptions.Filter, CliOptions.Regex };
        remove.Aliases.Add("rm");
        remove.SetAction(async (result, cancellationToken) =>
        {
            var names = result.GetValue(removeNames) ?? [];
            var stack = names.Length == 0 ? CliOptions.RequiredStack(result) : CliOptions.OptionalStack(result);
            using var client = CliOptions.Client(result, stack);
            foreach (var name in names.Length > 0 ? names : CliOptions.Selected(result, stack!).Select(f => f.Name))
            {
                await client.RemoveAsync(name, CliOptions.NamespaceOf(result), cancellationToken);
                Console.WriteLine($"Removed {name}");
            }

            return 0;
        });
        yield return remove;

        var scaleName = new Argument<string>("name");
        var replicas = new Option<int>("--replicas") { Description = "The number of replicas (0 and up)", Required = true };
        var scale = new Command("scale", "Set a function's replica count") { scaleName, replicas };
        scale.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(replicas);
            if (count < 0)
            {
                throw CliException.BadInput($"--replicas must be 0 or more, got {count}");
            }

            using var client = CliOptions.Client(result);
            var name = result.GetValue(scaleName)!;
            await client.ScaleAsync(name, CliOptions.NamespaceOf(result), (ulong)count, cancellationToken);
            Console.WriteLine($"Scaled {name} to {count} replicas");
            return 0;
        });
        yield return scale;
    }

    private static string? Pairs(Dictionary<string, string>? pairs) =>
        pairs is null || pairs.Count == 0 ? null : string.Join(", ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
