using System.Diagnostics;

namespace Faas.Cli.Tests;

/// <summary>Runs the built <c>faas</c> executable (not its classes) and captures its exit code, stdout and stderr.</summary>
/// <param name="executable">Another copy of <c>faas</c> to run (default: the build's).</param>
public sealed class FaasCli(string gatewayUrl, string workingDirectory, string configDirectory, IReadOnlyDictionary<string, string>? baseEnvironment = null, string? executable = null)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static string Executable => RepoPaths.Built("cli/Faas.Cli", "faas");

    public async Task<Result> RunAsync(string arguments, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(executable ?? Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in SplitArguments(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["FAAS_URL"] = gatewayUrl;
        info.Environment["FAAS_CONFIG_DIR"] = configDirectory;
        info.Environment.Remove("OPENFAAS_URL");
        info.Environment.Remove("FAAS_ADMIN_PASSWORD");
        foreach (var (name, value) in (baseEnvironment ?? new Dictionary<string, string>()).Concat(environment ?? new Dictionary<string, string>()))
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"faas {arguments} did not finish: {await stdout} {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Splits on spaces, keeping 'single-quoted' parts together.</summary>
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var parts = arguments.Split('\'');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1)
            {
                yield return parts[i];
                continue;
            }

            foreach (var word in parts[i].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return word;
            }
        }
    }
}
