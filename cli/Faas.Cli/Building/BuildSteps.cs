using System.Diagnostics;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Building;

/// <summary>What every builder does: lay out <c>build/NAME/</c> (template plus handler) and run shell steps there.</summary>
internal static class BuildSteps
{
    /// <summary>A fresh <c>build/NAME/</c>: the template without its handler skeleton, the function's handler in its place.</summary>
    public static string Prepare(StackFile stack, string name, StackFunction function, TemplateManifest template)
    {
        var directory = BundleBuilder.BuildDirectory(stack, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        CopyTemplate(template, directory);
        Scaffolder.CopyDirectory(StackLoader.HandlerDirectory(stack, function), Path.Combine(directory, template.HandlerFolder));
        return directory;
    }

    /// <summary>The template without its handler skeleton (the function's handler takes its place) or build output.</summary>
    private static void CopyTemplate(TemplateManifest template, string directory) =>
        Scaffolder.CopyDirectory(template.Directory, directory, relative =>
            !relative.StartsWith(template.HandlerFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) &&
            !relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>Runs one shell command of a build in <paramref name="directory"/>, its output streamed line by line; a failure names the command.</summary>
    public static async Task RunAsync(string command, string directory, Dictionary<string, string> buildArgs, Action<string> output, string name, CancellationToken cancellationToken)
    {
        output($"$ {command}");
        var info = new ProcessStartInfo("sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in buildArgs)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var pumps = new[] { PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output) };
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(pumps);
        if (process.ExitCode != 0)
        {
            throw new CliException($"{name}: build step failed with exit code {process.ExitCode}: {command}");
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            output(line);
        }
    }
}
