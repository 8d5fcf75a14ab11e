using YamlDotNet.RepresentationModel;

namespace Faas.Provider.Kubernetes.Tests.Install;

/// <summary>The manifests of <c>deploy/kubernetes/</c>, parsed and checked for what the API server would require of them and for what the gateway needs.</summary>
public sealed class ManifestTests
{
    private static readonly string[] ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding"];

    private static List<(string File, YamlMappingNode Document)> Documents()
    {
        var documents = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "kubernetes"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            documents.AddRange(stream.Documents.Select(d => (Path.GetFileName(file), (YamlMappingNode)d.RootNode)));
        }

        return documents;
    }

    private static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static YamlNode? Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private static Dictionary<string, string> Map(YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!) : [];

    [Fact]
    public void Every_object_has_an_api_version_a_kind_a_name_and_if_namespaced_a_namespace()
    {
        var documents = Documents();

        Assert.True(documents.Count >= 12, $"only {documents.Count} objects");
        Assert.All(documents, d =>
        {
            var kind = Text(d.Document, "kind");
            Assert.False(string.IsNullOrEmpty(Text(d.Document, "apiVersion")), $"{d.File}: an object without apiVersion");
            Assert.False(string.IsNullOrEmpty(kind), $"{d.File}: an object without kind");
            Assert.False(string.IsNullOrEmpty(Text(d.Document, "metadata", "name")), $"{d.File}: a {kind} without metadata.name");
            Assert.True(ClusterScoped.Contains(kind) || Text(d.Document, "metadata", "namespace") is not null, $"{d.File}: {kind} {Text(d.Document, "metadata", "name")} has no namespace");
        });
    }

    [Fact]
    public void Workloads_select_their_own_pods_and_every_container_names_an_image()
    {
        var workloads = Documents().Where(d => Text(d.Document, "kind") is "Deployment" or "StatefulSet").ToList();

        Assert.Equal(["gateway", "nats", "queue-worker"], workloads.Select(w => Text(w.Document, "metadata", "name")).Order());
        Assert.All(workloads, w =>
        {
            var selector = Map(Node(w.Document, "spec", "selector", "matchLabels"));
            var labels = Map(Node(w.Document, "spec", "template", "metadata", "labels"));
            Assert.NotEmpty(selector);
            Assert.All(selector, pair => Assert.Equal(pair.Value, labels.GetValueOrDefault(pair.Key)));
            var containers = (YamlSequenceNode)Node(w.Document, "spec", "template", "spec", "containers")!;
            Assert.All(containers, c => Assert.False(string.IsNullOrEmpty(Text(c, "image")), $"{w.File}: a container without an image"));
        });
    }

    [Fact]
    public void Services_select_a_workloads_pods_on_a_port_its_container_opens()
    {
        var documents = Documents();
        var services = documents.Where(d => Text(d.Document, "kind") == "Service").ToList();

        Assert.All(services, s =>
        {
            var selector = Map(Node(s.Document, "spec", "selector"));
            var target = documents.Single(d => Text(d.Document, "kind") is "Deployment" or "StatefulSet"
                && selector.All(pair => Map(Node(d.Document, "spec", "template", "metadata", "labels")).GetValueOrDefault(pair.Key) == pair.Value));
            var opened = ((YamlSequenceNode)Node(target.Document, "spec", "template", "spec", "containers")!).SelectMany(c => (Node(c, "ports") as YamlSequenceNode) ?? []).Select(p => Text(p, "containerPort"));
            Assert.All((YamlSequenceNode)Node(s.Document, "spec", "ports")!, port => Assert.Contains(Text(port, "targetPort"), opened));
        });
    }

    [Fact]
    public void The_function_namespace_role_grants_exactly_what_the_backend_uses()
    {
        var role = Documents().Single(d => Text(d.Document, "kind") == "ClusterRole" && Text(d.Document, "metadata", "name") == "faas-functions").Document;
        var granted = ((YamlSequenceNode)Node(role, "rules")!).SelectMany(rule =>
            from g in (YamlSequenceNode)Node(rule, "apiGroups")!
            from r in (YamlSequenceNode)Node(rule, "resources")!
            from v in (YamlSequenceNode)Node(rule, "verbs")!
            select $"{((YamlScalarNode)g).Value}/{((YamlScalarNode)r).Value}:{((YamlScalarNode)v).Value}").ToHashSet();

        // What KubernetesProvider.cs, FunctionSecrets.cs, Namespaces/ and Logs/ call, plus update/list kept for kubectl-style tooling.
        string[] used =
        [
            "apps/deployments:get", "apps/deployments:list", "apps/deployments:watch", "apps/deployments:create", "apps/deployments:update", "apps/deployments:patch", "apps/deployments:delete",
            "apps/deployments/scale:get", "apps/deployments/scale:patch", "apps/deployments/scale:update",
            "/services:get", "/services:list", "/services:create", "/services:update", "/services:delete",
            "/secrets:get", "/secrets:list", "/secrets:create", "/secrets:update", "/secrets:delete",
            "/pods:get", "/pods:list", "/pods:watch", "/pods/log:get",
            "discovery.k8s.io/endpointslices:get", "discovery.k8s.io/endpointslices:list", "discovery.k8s.io/endpointslices:watch",
        ];
        Assert.Equal(used.Order(), granted.Order());
    }

    [Fact]
    public void The_function_namespace_carries_the_label_the_gateway_looks_for()
    {
        var label = new KubernetesProviderOptions().FunctionNamespaceLabel.Split('=');
        var functions = Documents().Single(d => Text(d.Document, "kind") == "Namespace" && Text(d.Document, "metadata", "name") == "openfaas-fn").Document;

        Assert.Equal(label[1], Map(Node(functions, "metadata", "labels"))[label[0]]);
    }
}
