using System.CommandLine;
using Faas.Cli.Building;
using Faas.Cli.Stack;
using Faas.Cli.Store;
using Faas.Cli.Templates;
using Spectre.Console;

namespace Faas.Cli.Commands;

/// <summary><c>faas store list|describe|deploy</c>: the function store, built from source with the templates, offline.</summary>
internal static class StoreCommand
{
    private static readonly Option<string?> StorePath = new("--store") { Description = "The store's functions.json (default: FAAS_STORE, then the repository's store/)", Recursive = true };

    public static Command Create()
    {
        var store = new Command("store", "Deploy functions from the function store") { StorePath };

        var list = new Command("list", "List the store's functions");
        list.Aliases.Add("ls");
        list.SetAction(result =>
        {
            var table = new Table().Border(TableBorder.None);
            table.AddColumns("Function", "Title", "Description");
            foreach (var function in StoreCatalog.Load(result.GetValue(StorePath)).Functions)
            {
                table.AddRow(Markup.Escape(function.Name), Markup.Escape(function.Title), Markup.Escape(function.Description));
            }

            Output.Write(table);
            return 0;
        });
        store.Add(list);

        var describeName = new Argument<string>("name");
        var describe = new Command("describe", "Show a store function") { describeName };
        describe.SetAction(result =>
        {
            var function = StoreCatalog.Load(result.GetValue(StorePath)).Get(result.GetValue(describeName)!);
            foreach (var (label, value) in new[]
            {
                ("Name", function.Name), ("Title", function.Title), ("Description", function.Description), ("Image", function.Image),
                ("Template", function.Lang), ("Process", function.Fprocess), ("Repository", function.RepoUrl),
            })
            {
                Console.WriteLine($"{label + ":",-13}{(string.IsNullOrEmpty(value) ? "<none>" : value)}");
            }

            return 0;
        });
        store.Add(describe);

        var deployName = new Argument<string>("name");
        var alias = new Option<string?>("--name") { Description = "Deploy under another name" };
        var deploy = new Command("deploy", "Build a store function from source and deploy it") { deployName, alias };
        deploy.SetAction(async (result, cancellationToken) =>
        {
            var catalog = StoreCatalog.Load(result.GetValue(StorePath));
            var entry = catalog.Get(result.GetValue(deployName)!);
            var name = result.GetValue(alias) ?? entry.Name;
            using var work = new WorkDirectory();
            var (stack, function) = await BuildAsync(catalog, entry, name, work.Path, cancellationToken);
            using var client = CliOptions.Client(result);
            var image = await new BundleBuilder().PushAsync(stack, name, client, cancellationToken);
            await client.DeployAsync(DeploymentFactory.Create(name, function, image, CliOptions.NamespaceOf(result)), cancellationToken);

            Console.WriteLine($"Deployed {name} from the store: {client.Url}/function/{name}");
            return 0;
        });
        store.Add(deploy);

        var output = new Option<string>("--output", "-o") { Description = "The folder to write functions.json and the bundles to", Required = true };
        var build = new Command("build", "Build every store function as a bundle, for a gateway's FAAS_STORE_DIR (its dashboard deploys from it)") { output };
        build.SetAction(async (result, cancellationToken) =>
        {
            var catalog = StoreCatalog.Load(result.GetValue(StorePath));
            var directory = Directory.CreateDirectory(result.GetValue(output)!).FullName;
            var built = new StoreCatalogFile();
            foreach (var entry in catalog.Functions)
            {
                using var work = new WorkDirectory();
                var (stack, _) = await BuildAsync(catalog, entry, entry.Name, work.Path, cancellationToken);
                var bundle = entry.Name + ".tar.gz";
                File.Copy(BundleBuilder.ArchivePath(stack, entry.Name), Path.Combine(directory, bundle), overwrite: true);
                entry.Bundle = bundle;
                built.Functions.Add(entry);
            }

            var index = Path.Combine(directory, "functions.json");
            await File.WriteAllTextAsync(index + ".tmp", System.Text.Json.JsonSerializer.Serialize(built, CliJson.Default.StoreCatalogFile), cancellationToken);
            File.Move(index + ".tmp", index, overwrite: true);
            Console.WriteLine($"Built {built.Functions.Count} store functions into {directory}");
            return 0;
        });
        store.Add(build);
        return store;
    }

    /// <summary>Builds one store function from its source with its template, as a bundle in a stack made in <paramref name="work"/>.</summary>
    private static async Task<(StackFile Stack, StackFunction Function)> BuildAsync(StoreCatalog catalog, StoreFunction entry, string name, string work, CancellationToken cancellationToken)
    {
        if (entry.Lang is null || entry.Handler is null)
        {
            throw new CliException($"store function {entry.Name} has no source to build here (lang and handler)");
        }

        var stack = new StackFile { Path = Path.Combine(work, "stack.yml") };
        var function = new StackFunction
        {
            Lang = entry.Lang,
            Handler = Path.Combine(catalog.Directory, entry.Handler),
            Environment = entry.Environment ?? [],
            Labels = entry.Labels ?? [],
            Annotations = entry.Annotations ?? [],
            ReadonlyRootFilesystem = entry.ReadOnlyRootFilesystem,
        };
        stack.Functions[name] = function;
        await new BundleBuilder().BuildAsync(stack, name, function, TemplateCatalog.Load(null), line => Console.WriteLine($"[{name}] {line}"), cancellationToken);
        return (stack, function);
    }

    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("faas-store-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
