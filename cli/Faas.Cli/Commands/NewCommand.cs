using System.CommandLine;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary><c>faas new NAME --lang LANG</c> and <c>faas template list</c>.</summary>
internal static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "The function's name", Arity = ArgumentArity.ZeroOrOne };
        var lang = new Option<string?>("--lang") { Description = "The template (see 'faas template list')" };
        var list = new Option<bool>("--list") { Description = "List the templates instead" };
        var command = new Command("new", "Create a function from a template and add it to the stack file") { name, lang, list };
        command.SetAction(result =>
        {
            var stackPath = result.GetValue(CliOptions.StackFile) ?? StackLoader.Locate(null) ?? "stack.yml";
            var templates = TemplateCatalog.Load(File.Exists(stackPath) ? StackLoader.Load(stackPath) : null);
            if (result.GetValue(list))
            {
                return ListTemplates(templates);
            }

            var function = result.GetValue(name) ?? throw CliException.BadInput("faas new needs the function's name: faas new NAME --lang LANG");
            var template = templates.Get(result.GetValue(lang) ?? throw CliException.BadInput("faas new needs --lang (see 'faas template list')"));
            var handler = Scaffolder.Create(function, template, stackPath);
            Console.WriteLine($"Created {Path.GetRelativePath(Environment.CurrentDirectory, handler)}/ from the {template.Language} template and added {function} to {stackPath}.");
            if (template.WelcomeMessage is { Length: > 0 } welcome)
            {
                Console.WriteLine(welcome.TrimEnd());
            }

            return 0;
        });
        return command;
    }

    public static Command CreateTemplate()
    {
        var listCommand = new Command("list", "List the templates");
        listCommand.SetAction(result =>
        {
            var stackPath = result.GetValue(CliOptions.StackFile) ?? StackLoader.Locate(null);
            return ListTemplates(TemplateCatalog.Load(stackPath is not null && File.Exists(stackPath) ? StackLoader.Load(stackPath) : null));
        });
        return new Command("template", "Function templates") { listCommand };
    }

    private static int ListTemplates(TemplateCatalog templates)
    {
        foreach (var template in templates.All.OrderBy(t => t.Language, StringComparer.Ordinal))
        {
            var where = template.Local is null ? "container images only" : $"{template.Local.Mode} mode";
            Console.WriteLine($"{template.Language,-16} {where}");
        }

        return 0;
    }
}
