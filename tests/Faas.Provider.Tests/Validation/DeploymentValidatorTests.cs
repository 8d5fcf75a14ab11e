using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Tests.Validation;

public class DeploymentValidatorTests
{
    private static readonly FunctionDeployment Valid = new() { Service = "echo", Image = "local" };

    [Fact]
    public void Valid_deployment_gets_the_default_namespace() =>
        Assert.Equal("openfaas-fn", DeploymentValidator.Validate(Valid).Namespace);

    public static TheoryData<FunctionDeployment, string> Invalid => new()
    {
        { Valid with { Service = "" }, "service is required" },
        { Valid with { Service = "Echo" }, "service \"Echo\" must consist of lower-case" },
        { Valid with { Service = "-echo" }, "service \"-echo\"" },
        { Valid with { Service = new string('a', 64) }, "longer than 63 characters" },
        { Valid with { Image = " " }, "image is required" },
        { Valid with { Namespace = "My_NS" }, "namespace \"My_NS\"" },
        { Valid with { EnvVars = new() { ["1BAD"] = "x" } }, "envVars has an invalid environment variable name \"1BAD\"" },
        { Valid with { Labels = new() { ["bad key!"] = "x" } }, "labels has an invalid key \"bad key!\"" },
        { Valid with { Annotations = new() { ["/leading"] = "x" } }, "annotations has an invalid key" },
        { Valid with { Secrets = ["Not_Valid"] }, "secrets \"Not_Valid\"" },
        { Valid with { Labels = new() { ["com.openfaas.scale.min"] = "two" } }, "com.openfaas.scale.min must be a whole number" },
        { Valid with { Labels = new() { ["com.openfaas.scale.min"] = "5", ["com.openfaas.scale.max"] = "2" } }, "greater than com.openfaas.scale.max" },
        { Valid with { Annotations = new() { ["faas.timeout"] = "soon" } }, "faas.timeout must be a duration such as 10s" },
        { Valid with { Annotations = new() { ["schedule"] = "*/5 * * *" } }, "annotation schedule: schedule \"*/5 * * *\" needs 5 fields" },
        { Valid with { Annotations = new() { ["topic"] = "orders, ,payments" } }, "annotation topic: topics are comma-separated, non-empty and without white space" },
        { Valid with { Labels = new() { ["faas.timeout"] = "0s" } }, "faas.timeout must be a duration such as 10s, 500ms, 1m30s, or a number of seconds greater than zero, got \"0s\"" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_problem_is_invalid_and_names_the_field(FunctionDeployment deployment, string expected)
    {
        var error = Assert.Throws<ProviderException>(() => DeploymentValidator.Validate(deployment));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("com.openfaas.scale.min")]
    [InlineData("app")]
    [InlineData("example.com/team")]
    public void Kubernetes_style_keys_are_accepted(string key) => Assert.Null(NameRules.CheckKey("labels", key));

    [Fact]
    public void Initial_replicas_come_from_scale_min()
    {
        Assert.Equal(1, ScalingLabels.InitialReplicas(null));
        Assert.Equal(0, ScalingLabels.InitialReplicas(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "0" }));
        Assert.Equal(3, ScalingLabels.InitialReplicas(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "3" }));
    }
}
