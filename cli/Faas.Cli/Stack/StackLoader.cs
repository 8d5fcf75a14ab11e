using System.Text.RegularExpressions;
using Faas.Provider.Validation;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Faas.Cli.Stack;

/// <summary>
/// Reads stack.yml strictly: <c>${VAR}</c> substitution first, then YAML where an unknown field or a type mismatch
/// is an error naming the file, line and column; then the checks faas-cli makes (version, provider, handlers).
/// </summary>
internal static partial class StackLoader
{
    public static readonly string[] DefaultNames = ["stack.yaml", "stack.yml"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The stack file to use: the one named, else stack.yaml or stack.yml in the current directory; null if none exists and none was named.</summary>
    public static string? Locate(string? named)
    {
        if (named is not null)
        {
            return File.Exists(named) ? named : throw CliException.BadInput($"stack file {named} does not exist");
        }

        return DefaultNames.FirstOrDefault(File.Exists);
    }

    public static StackFile Load(string path, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var text = EnvSubstitution.Apply(File.ReadAllText(path), environment);
        var stack = Parse<StackFile>(text, path) ?? new StackFile();
        stack.Path = path;
        Check(stack);
        foreach (var function in stack.Functions.Values)
        {
            foreach (var file in function.EnvironmentFile)
            {
                var filePath = System.IO.Path.Combine(stack.Directory, file);
                if (!File.Exists(filePath))
                {
                    throw CliException.BadInput($"{path}: environment_file {file} does not exist");
                }

                var loaded = Parse<EnvironmentFile>(EnvSubstitution.Apply(File.ReadAllText(filePath), environment), filePath);
                foreach (var (name, value) in loaded?.Environment ?? [])
                {
                    function.Environment.TryAdd(name, value);
                }
            }
        }

        return stack;
    }

    /// <summary>The handler directory of a function, absolute.</summary>
    public static string HandlerDirectory(StackFile stack, StackFunction function) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(stack.Directory, function.Handler ?? "."));

    private static T? Parse<T>(string text, string path)
    {
        try
        {
            return Yaml.Deserialize<T>(text);
        }
        catch (YamlException error)
        {
            var inner = error.InnerException is YamlException nested ? nested : error;
            var message = UnknownProperty().Match(inner.Message) is { Success: true } unknown
                ? $"unknown field '{unknown.Groups[1].Value}'"
                : YamlErrors.Describe(text, inner, WithoutPosition().Replace(inner.Message, "").TrimEnd('.'));
            throw CliException.BadInput($"{path}:{inner.Start.Line}:{inner.Start.Column}: {message}");
        }
    }

    private static void Check(StackFile stack)
    {
        var path = stack.Path;
        if (stack.Version != "1.0")
        {
            throw CliException.BadInput($"{path}: version must be \"1.0\", got \"{stack.Version}\"");
        }

        if (stack.Provider.Name is not ("openfaas" or "faas"))
        {
            throw CliException.BadInput($"{path}: provider.name must be \"openfaas\", got \"{stack.Provider.Name}\"");
        }

        foreach (var (name, function) in stack.Functions)
        {
            if (NameRules.CheckLabel("function name", name) is { } problem)
            {
                throw CliException.BadInput($"{path}: {problem}");
            }

            if (function.SkipBuild || (function.Lang is null && function.Handler is null))
            {
                if (function.Image is null)
                {
                    throw CliException.BadInput($"{path}: function {name} needs an image (or a lang and handler to build one)");
                }

                continue;
            }

            if (function.Lang is null || function.Handler is null)
            {
                throw CliException.BadInput($"{path}: function {name} needs both lang and handler to be built");
            }

            if (!System.IO.Directory.Exists(HandlerDirectory(stack, function)))
            {
                throw CliException.BadInput($"{path}: the handler directory of {name} ({function.Handler}) does not exist");
            }
        }
    }

    [GeneratedRegex("Property '([^']+)' not found on type")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@" \(at Line: \d+, Col: \d+, Idx: \d+\)")]
    private static partial Regex WithoutPosition();
}
