using Faas.Cli.BuiltIn;
using Faas.Cli.Stack;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Faas.Cli.Templates;

/// <summary>
/// The templates available, by language. Looked up, first match wins: <c>./template/</c> beside the stack file (where
/// faas-cli keeps pulled templates), local directories named in the stack's <c>configuration.templates</c>,
/// <c>$FAAS_TEMPLATES</c>, the <c>templates/</c> folder of this repository (found above the executable or the current
/// directory), then the templates built into the executable.
/// </summary>
internal sealed class TemplateCatalog
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    private readonly Dictionary<string, TemplateManifest> _templates = new(StringComparer.Ordinal);

    private TemplateCatalog()
    {
    }

    public IReadOnlyCollection<TemplateManifest> All => _templates.Values;

    public static TemplateCatalog Load(StackFile? stack)
    {
        var catalog = new TemplateCatalog();
        var baseDirectory = stack?.Directory ?? Environment.CurrentDirectory;
        catalog.AddFolder(Path.Combine(baseDirectory, "template"));
        foreach (var source in stack?.Configuration?.Templates ?? [])
        {
            var path = Path.Combine(baseDirectory, source.Source);
            if (!Directory.Exists(path))
            {
                throw CliException.BadInput($"{stack!.Path}: template source {source.Source} is not a local directory (templates are not downloaded here)");
            }

            catalog.AddTemplate(File.Exists(Path.Combine(path, "template.yml")) ? path : Path.Combine(path, source.Name));
        }

        if (Environment.GetEnvironmentVariable("FAAS_TEMPLATES") is { Length: > 0 } configured)
        {
            catalog.AddFolder(configured);
        }

        foreach (var root in RepositoryRoot.Find())
        {
            catalog.AddFolder(Path.Combine(root, "templates"));
        }

        if (BuiltInFiles.Templates is { } builtIn)
        {
            catalog.AddFolder(builtIn);
        }

        return catalog;
    }

    public TemplateManifest Get(string language) =>
        _templates.TryGetValue(language, out var template)
            ? template
            : throw CliException.BadInput($"no template for lang '{language}': available are {string.Join(", ", _templates.Keys.Order())}");

    private void AddFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(folder).Order())
        {
            AddTemplate(directory);
        }
    }

    private void AddTemplate(string directory)
    {
        var file = Path.Combine(directory, "template.yml");
        if (!File.Exists(file))
        {
            return;
        }

        TemplateManifest manifest;
        try
        {
            manifest = Yaml.Deserialize<TemplateManifest>(File.ReadAllText(file)) ?? new TemplateManifest();
        }
        catch (YamlException error)
        {
            throw CliException.BadInput($"{file}:{error.Start.Line}:{error.Start.Column}: {(error.InnerException ?? error).Message}");
        }

        manifest.Directory = directory;
        if (string.IsNullOrEmpty(manifest.Language))
        {
            manifest.Language = Path.GetFileName(directory);
        }

        _templates.TryAdd(Path.GetFileName(directory), manifest);
    }
}
