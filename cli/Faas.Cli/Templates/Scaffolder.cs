using System.Text;
using Faas.Cli.Stack;
using Faas.Provider.Validation;

namespace Faas.Cli.Templates;

/// <summary><c>faas new</c>: the template's handler skeleton copied into <c>./NAME</c>, and the function added to the stack file.</summary>
internal static class Scaffolder
{
    public static string Create(string name, TemplateManifest template, string stackPath)
    {
        if (NameRules.CheckLabel("function name", name) is { } problem)
        {
            throw CliException.BadInput(problem);
        }

        var stackDirectory = Path.GetDirectoryName(Path.GetFullPath(stackPath))!;
        var handler = Path.Combine(stackDirectory, name);
        if (Directory.Exists(handler))
        {
            throw CliException.BadInput($"folder {name} already exists: pick another name or remove it");
        }

        if (File.Exists(stackPath) && StackLoader.Load(stackPath).Functions.ContainsKey(name))
        {
            throw CliException.BadInput($"{stackPath} already has a function named {name}");
        }

        var skeleton = Path.Combine(template.Directory, template.HandlerFolder);
        CopyDirectory(Directory.Exists(skeleton) ? skeleton : throw new CliException($"template {template.Language} has no {template.HandlerFolder}/ skeleton"), handler);
        AddToStack(stackPath, $"{name}:\n  lang: {template.Language}\n  handler: ./{name}\n  image: {name}:latest\n");
        return handler;
    }

    /// <summary>Copies a tree with its files' modes; <paramref name="include"/> chooses by path relative to <paramref name="from"/>.</summary>
    public static void CopyDirectory(string from, string to, Func<string, bool>? include = null)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (include is not null && !include(relative))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    /// <summary>Adds a function entry as text, so the user's comments and layout are kept.</summary>
    private static void AddToStack(string stackPath, string entry)
    {
        if (!File.Exists(stackPath))
        {
            File.WriteAllText(stackPath, $"version: 1.0\nprovider:\n  name: openfaas\n  gateway: http://127.0.0.1:8080\nfunctions:\n{Indent(entry, "  ")}");
            return;
        }

        var lines = File.ReadAllLines(stackPath).ToList();
        var functions = lines.FindIndex(line => line.TrimEnd() == "functions:");
        if (functions < 0)
        {
            lines.RemoveAll(line => line.TrimEnd() == "functions: {}");
            lines.Add("functions:");
            functions = lines.Count - 1;
        }

        var next = lines.Skip(functions + 1).FirstOrDefault(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'));
        var indent = next is not null && next.StartsWith(' ') ? next[..(next.Length - next.TrimStart().Length)] : "  ";
        lines.Insert(functions + 1, Indent(entry, indent).TrimEnd('\n'));
        File.WriteAllText(stackPath, string.Join('\n', lines) + "\n");
    }

    private static string Indent(string text, string indent)
    {
        var result = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                result.Append(indent).Append(line.StartsWith("  ", StringComparison.Ordinal) ? indent + line[2..] : line);
            }

            result.Append('\n');
        }

        return result.ToString().TrimEnd('\n') + "\n";
    }
}
