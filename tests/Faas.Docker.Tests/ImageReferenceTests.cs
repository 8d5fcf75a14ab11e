namespace Faas.Docker.Tests;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("fn", "fn", "latest")]
    [InlineData("fn:1.2", "fn", "1.2")]
    [InlineData("127.0.0.1:5000/team/fn", "127.0.0.1:5000/team/fn", "latest")]
    [InlineData("127.0.0.1:5000/team/fn:2", "127.0.0.1:5000/team/fn", "2")]
    [InlineData("fn@sha256:abc", "fn@sha256:abc", null)]
    public void Repository_and_tag_come_apart_as_the_engine_takes_them(string image, string repository, string? tag)
    {
        Assert.Equal((repository, tag), ImageReference.Split(image));
    }

    [Theory]
    [InlineData("fn", false)]
    [InlineData("fn:1", false)]
    [InlineData("faas-store/fn:latest", false)]
    [InlineData("team/fn", false)]
    [InlineData("127.0.0.1:5000/fn:1", true)]
    [InlineData("ghcr.io/team/fn", true)]
    [InlineData("localhost/fn", true)]
    public void A_name_starts_with_a_registry_by_the_engines_rule(string image, bool namesRegistry)
    {
        Assert.Equal(namesRegistry, ImageReference.NamesRegistry(image));
    }
}
