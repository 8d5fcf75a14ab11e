namespace Faas.Conventions.Tests;

public class BuildVersionTests
{
    [Fact]
    public void The_release_and_commit_come_from_what_the_build_stamped()
    {
        var version = BuildVersion.Of(typeof(BuildVersion).Assembly);

        Assert.Matches(@"^\d+\.\d+\.\d+$", version.Release);
        Assert.NotEqual("1.0.0", version.Release);
        Assert.Matches("^[0-9a-f]{40}$", version.Commit);
    }
}
