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
            if (entry.Lang is null || entry.Handler is null)
            {
                throw new CliException($"store function {entry.Name} has no source to build here (lang and handler)");
            }

            using var work = new WorkDirectory();
            var stack = new StackFile { Path = Path.Combine(work.Path, "stack.yml") };
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
            using var client = CliOptions.Client(result);
            var builder = new BundleBuilder();
            await builder.BuildAsync(stack, name, function, TemplateCatalog.Load(null), line => Console.WriteLine($"[{name}] {line}"), cancellationToken);
            var image = await builder.PushAsync(stack, name, client, cancellationToken);
            await client.DeployAsync(DeploymentFactory.Create(name, function, image, CliOptions.NamespaceOf(result)), cancellationToken);

            Console.WriteLine($"Deployed {name} from the store: {client.Url}/function/{name}");
            return 0;
        });
        store.Add(deploy);
        return store;
    }

    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("faas-store-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
