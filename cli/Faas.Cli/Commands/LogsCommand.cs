using System.CommandLine;
using System.Globalization;
using Faas.Conventions;

namespace Faas.Cli.Commands;

/// <summary><c>faas logs NAME</c>: the function's log lines, <c>--follow</c> to keep streaming.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name");
        var follow = new Option<bool>("--follow") { Description = "Keep streaming new lines" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines" };
        var since = new Option<string?>("--since") { Description = "Only lines newer than this: a duration (5m, 1h) or an RFC 3339 time" };
        var command = new Command("logs", "Show a function's logs") { name, follow, tail, since };
        command.SetAction(async (result, cancellationToken) =>
        {
            DateTimeOffset? from = result.GetValue(since) switch
            {
                null => null,
                { } text when Duration.TryParse(text, out var ago) => DateTimeOffset.UtcNow - ago,
                { } text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => time,
                { } text => throw CliException.BadInput($"--since takes a duration such as 5m or an RFC 3339 time, got \"{text}\""),
            };
            if (result.GetValue(tail) is < 0)
            {
                throw CliException.BadInput("--tail must be 0 or more");
            }

            using var client = CliOptions.Client(result);
            var lines = 0;
            try
            {
                await foreach (var message in client.LogsAsync(result.GetValue(name)!, CliOptions.NamespaceOf(result), result.GetValue(follow), result.GetValue(tail), from, cancellationToken))
                {
                    lines++;
                    Console.WriteLine($"{message.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {message.Name} ({message.Instance}) {message.Text}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            if (lines == 0 && !result.GetValue(follow))
            {
                Console.Error.WriteLine(from is null && result.GetValue(tail) is null
                    ? $"no log lines for {result.GetValue(name)}: it has written nothing yet"
                    : $"no log lines for {result.GetValue(name)} in the range asked for");
            }

            return 0;
        });
        return command;
    }
}
