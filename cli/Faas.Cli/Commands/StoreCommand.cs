using System.CommandLine;
using Faas.Cli.Building;
using Faas.Cli.Stack;
using Faas.Cli.Store;
using Faas.Cli.Templates;
using Faas.Docker;
using Faas.Provider.Validation;
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
        var builderName = new Option<string?>("--builder") { Description = "bundle (the local backend) or docker (an image); default: what the gateway's backend runs" };
        var image = new Option<string?>("--image") { Description = "Docker builder: the tag to build; pushed when it names a registry (default faas-store/NAME:latest, left in this machine's engine)" };
        var offline = new Option<bool>("--offline") { Description = "Docker builder: build on the base images 'make images' made, not a registry's" };
        var deploy = new Command("deploy", "Build a store function from source and deploy it") { deployName, alias, builderName, image, offline };
        deploy.SetAction(async (result, cancellationToken) =>
        {
            var catalog = StoreCatalog.Load(result.GetValue(StorePath));
            var entry = catalog.Get(result.GetValue(deployName)!);
            var name = result.GetValue(alias) ?? entry.Name;

            // It names the build directory and the image before the gateway sees it.
            if (NameRules.CheckLabel("--name", name) is { } problem)
            {
                throw CliException.BadInput(problem);
            }

            using var client = CliOptions.Client(result);
            var builder = FunctionBuilders.Get(result.GetValue(builderName) ?? await BuilderForAsync(client, cancellationToken), result.GetValue(offline));
            using var work = new WorkDirectory();
            var tag = builder is DockerBuilder ? result.GetValue(image) ?? $"faas-store/{name}:latest" : null;
            var (stack, function) = await BuildAsync(catalog, entry, name, tag, builder, work.Path, cancellationToken);
            var deployed = tag is not null && !ImageReference.NamesRegistry(tag)
                ? tag
                : await builder.PushAsync(stack, name, client, cancellationToken);
            await client.DeployAsync(DeploymentFactory.Create(name, function, deployed, CliOptions.NamespaceOf(result)), cancellationToken);

            Console.WriteLine($"Deployed {name} from the store ({deployed}): {client.Url}/function/{name}");
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
                var (stack, _) = await BuildAsync(catalog, entry, entry.Name, image: null, new BundleBuilder(), work.Path, cancellationToken);
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

    /// <summary>A local gateway takes bundles; the others run images.</summary>
    private static async Task<string> BuilderForAsync(Gateway.GatewayClient client, CancellationToken cancellationToken)
    {
        var info = await client.InfoAsync(cancellationToken);
        var orchestration = info.TryGetProperty("provider", out var provider) && provider.TryGetProperty("orchestration", out var value) ? value.GetString() : null;
        return orchestration is null or "local" ? BundleBuilder.BuilderName : DockerBuilder.BuilderName;
    }

    /// <summary>Builds one store function from its source with its template and <paramref name="builder"/>, in a stack made in <paramref name="work"/>.</summary>
    private static async Task<(StackFile Stack, StackFunction Function)> BuildAsync(StoreCatalog catalog, StoreFunction entry, string name, string? image, IFunctionBuilder builder, string work, CancellationToken cancellationToken)
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
            Image = image,
        };
        stack.Functions[name] = function;
        await builder.BuildAsync(stack, name, function, TemplateCatalog.Load(null), line => Console.WriteLine($"[{name}] {line}"), cancellationToken);
        return (stack, function);
    }

    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("faas-store-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
