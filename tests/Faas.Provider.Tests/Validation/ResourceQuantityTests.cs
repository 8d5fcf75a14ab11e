using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Tests.Validation;

public sealed class ResourceQuantityTests
{
    [Theory]
    [InlineData("128Mi", 134217728L)]
    [InlineData("1Gi", 1073741824L)]
    [InlineData("64Ki", 65536L)]
    [InlineData("100M", 100000000L)]
    [InlineData("1k", 1000L)]
    [InlineData("4096", 4096L)]
    [InlineData("1.5Gi", 1610612736L)]
    public void Memory_quantities_are_bytes(string quantity, long bytes) => Assert.Equal(bytes, ResourceQuantity.Bytes(quantity));

    [Theory]
    [InlineData("500m", 500_000_000L)]
    [InlineData("2", 2_000_000_000L)]
    [InlineData("0.25", 250_000_000L)]
    [InlineData(null, 0L)]
    public void Cpu_quantities_are_nano_cpus(string? quantity, long nanoCpus) => Assert.Equal(nanoCpus, ResourceQuantity.NanoCpus(quantity));

    [Theory]
    [InlineData("lots")]
    [InlineData("12Xi")]
    [InlineData("-1")]
    [InlineData("1,5Gi")]
    public void Non_quantities_are_named_in_the_problem(string quantity)
    {
        var problem = ResourceQuantity.Check("limits", new FunctionResources { Memory = quantity });
        Assert.Equal($"limits.memory '{quantity}' is not a quantity (for example 128Mi, 1Gi, 500m or 2)", problem);
    }

    [Fact]
    public void A_deployment_with_a_bad_cpu_request_is_invalid()
    {
        var error = Assert.Throws<ProviderException>(() => DeploymentValidator.Validate(new FunctionDeployment { Service = "f", Image = "i", Requests = new FunctionResources { Cpu = "fast" } }));
        Assert.Contains("requests.cpu 'fast'", error.Message);
    }
}
