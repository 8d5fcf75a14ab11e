using Faas.Cli.Stack;

namespace Faas.Cli.Tests.Stack;

public class EnvSubstitutionTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["REGISTRY"] = "registry.local", ["EMPTY"] = "" };

    [Theory]
    [InlineData("image: ${REGISTRY}/fn", "image: registry.local/fn")]
    [InlineData("image: ${MISSING:-docker.io}/fn", "image: docker.io/fn")]
    [InlineData("image: ${EMPTY:-fallback}", "image: fallback")]
    [InlineData("image: ${MISSING}/fn", "image: /fn")]
    [InlineData("price: $$5 and $HOME", "price: $5 and $HOME")]
    public void Substitutes_like_envsubst(string text, string expected) =>
        Assert.Equal(expected, EnvSubstitution.Apply(text, name => Variables.GetValueOrDefault(name)));
}
