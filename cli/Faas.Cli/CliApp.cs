using System.CommandLine;
using Faas.Cli.Commands;

namespace Faas.Cli;

/// <summary>The command tree and the exit-code contract: 0 success, 1 the gateway or a build said no, 2 bad usage or input.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("faas: build, deploy and invoke functions on a FaaS (or OpenFaaS) gateway")
        {
            CliOptions.Gateway, CliOptions.Namespace, CliOptions.Verbose, CliOptions.StackFile,
        };
        root.Add(NewCommand.Create());
        root.Add(NewCommand.CreateTemplate());
        foreach (var command in StackCommands.Create().Concat(FunctionCommands.Create()))
        {
            root.Add(command);
        }

        root.Add(InvokeCommand.Create());
        root.Add(LogsCommand.Create());
        root.Add(SecretCommand.Create());
        root.Add(StoreCommand.Create());
        root.Add(GenerateCommand.Create());
        root.Add(AccountCommands.CreateLogin());
        root.Add(AccountCommands.CreateVersion());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var result = Build().Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"faas: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'faas --help' for usage.");
            return CliException.Usage;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException error)
        {
            await Console.Error.WriteLineAsync($"faas: {error.Message}");
            return error.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync(result.GetValue(CliOptions.Verbose) ? $"faas: {error}" : $"faas: {error.Message}");
            return CliException.Failure;
        }
    }
}
