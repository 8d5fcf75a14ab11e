using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faas.Cli.Building;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Validation;
using YamlDotNet.RepresentationModel;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas generate</c>: the Kubernetes Deployment and Service of each stack function, as YAML on stdout, the same
/// objects the Kubernetes backend creates (for GitOps: commit them, let the cluster's tooling apply them).
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Write the Kubernetes Deployment and Service YAML of the stack's functions to stdout") { CliOptions.Filter, CliOptions.Regex };
        command.SetAction(result =>
        {
            var stack = CliOptions.RequiredStack(result);
            var documents = new List<string>();
            foreach (var (name, function) in CliOptions.Selected(result, stack))
            {
                var image = function.Image ?? throw CliException.BadInput($"{name}: 'image:' is required in {stack.Path} to generate its Deployment");
                var deployment = DeploymentFactory.Create(name, function, image, CliOptions.NamespaceOf(result));
                deployment = deployment with { Namespace = deployment.Namespace ?? NameRules.DefaultNamespace };
                try
                {
                    deployment = DeploymentValidator.Validate(deployment);
                }
                catch (Faas.Provider.ProviderException error)
                {
                    throw CliException.BadInput($"{name}: {error.Message}");
                }

                var objects = FunctionObjects.Deployment(deployment, new PodSettings(), ScalingLabels.InitialReplicas(deployment.Labels), deployedAt: null);
                documents.Add(ToYaml(JsonNode.Parse(k8s.KubernetesJson.Serialize(objects))!));
                documents.Add(ToYaml(JsonNode.Parse(k8s.KubernetesJson.Serialize(FunctionObjects.Service(deployment)))!));
            }

            Console.Write(string.Join("---\n", documents));
            return 0;
        });
        return command;
    }

    private static string ToYaml(JsonNode node)
    {
        var stream = new YamlStream(new YamlDocument(ToYamlNode(node)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlStream ends each document with "...": a plain multi-document file reads better without it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>Strings are quoted (so "1" stays a string); numbers and booleans are plain.</summary>
    private static YamlNode ToYamlNode(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(pair => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(pair.Key), ToYamlNode(pair.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(ToYamlNode)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => new YamlScalarNode(value.GetValue<string>()) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted },
        null => new YamlScalarNode("null"),
        _ => new YamlScalarNode(node.ToJsonString()),
    };
}
