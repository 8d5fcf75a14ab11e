using System.Text.Json;
using System.Text.Json.Nodes;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Tests.Objects;

/// <summary>
/// Golden tests: the Deployment and Service JSON of representative functions, compared with files under
/// <c>golden/</c> that were reviewed field by field against the Kubernetes API reference (apps/v1 Deployment, core/v1
/// Service) and faas-netes' makeDeploymentSpec/makeServiceSpec. Set <c>FAAS_UPDATE_GOLDEN=1</c> to rewrite them after a
/// deliberate change, then review the diff.
/// </summary>
public sealed class FunctionObjectsTests
{
    private static readonly DateTimeOffset DeployedAt = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static readonly TheoryData<string> Cases = new() { "minimal", "full" };

    private static FunctionDeployment Function(string name) => name switch
    {
        "minimal" => new FunctionDeployment { Service = "hello", Image = "ghcr.io/example/hello:1", Namespace = "openfaas-fn" },
        _ => new FunctionDeployment
        {
            Service = "full",
            Image = "registry.example:5000/full:2",
            Namespace = "team-a",
            EnvProcess = "python3 index.py",
            EnvVars = new() { ["write_timeout"] = "10s", ["MODE"] = "fast" },
            Labels = new() { ["com.openfaas.scale.min"] = "2", ["team"] = "a" },
            Annotations = new() { ["topic"] = "orders", ["faas.timeout"] = "30s" },
            Secrets = ["api-key", "db-password"],
            Limits = new FunctionResources { Memory = "128Mi", Cpu = "500m" },
            Requests = new FunctionResources { Memory = "64Mi", Cpu = "100m" },
            ReadOnlyRootFilesystem = true,
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_deployment_matches_its_golden_file(string name)
    {
        var function = Function(name);
        var deployment = FunctionObjects.Deployment(function, new PodSettings(), name == "full" ? 2 : 1, DeployedAt);

        AssertGolden($"{name}.deployment.json", JsonNode.Parse(KubernetesJson.Serialize(deployment))!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_service_matches_its_golden_file(string name) =>
        AssertGolden($"{name}.service.json", JsonNode.Parse(KubernetesJson.Serialize(FunctionObjects.Service(Function(name))))!);

    [Fact]
    public void A_deployment_reads_back_as_the_function_it_was_made_from()
    {
        var function = Function("full");
        var deployment = FunctionObjects.Deployment(function, new PodSettings(), 2, DeployedAt);
        deployment.Status = new V1DeploymentStatus { AvailableReplicas = 1 };
        deployment.Metadata.CreationTimestamp = DeployedAt.UtcDateTime;

        var status = FunctionObjects.Status(deployment);

        Assert.Equal((function.Service, function.Image, function.Namespace, function.EnvProcess), (status.Name, status.Image, status.Namespace, status.EnvProcess));
        Assert.Equal(function.EnvVars, status.EnvVars);
        Assert.Equal(new Dictionary<string, string>(function.Labels!) { ["faas_function"] = "full" }, status.Labels);
        Assert.Equal(function.Annotations, status.Annotations);
        Assert.Equal(function.Secrets, status.Secrets);
        Assert.Equal(function.Limits, status.Limits);
        Assert.Equal(function.Requests, status.Requests);
        Assert.True(status.ReadOnlyRootFilesystem);
        Assert.Equal((2UL, 1UL), (status.Replicas, status.AvailableReplicas));
        Assert.Equal(DeployedAt, status.CreatedAt);
    }

    private static void AssertGolden(string file, JsonNode actual)
    {
        var path = Path.Combine(Faas.Harness.RepoPaths.Root, "tests", "Faas.Provider.Kubernetes.Tests", "Objects", "golden", file);
        var text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("FAAS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with FAAS_UPDATE_GOLDEN=1 and review it");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), actual), $"{file} differs from the golden file:\n{text}");
    }
}
