using Docker.DotNet;
using Faas.Testing;

namespace Faas.Docker.Tests;

/// <summary>An engine with <see cref="BaseImages.Busybox"/>; what the tests labelled <c>faas.test</c> is removed afterwards.</summary>
public sealed class EngineFixture() : EngineFixtureBase("faas.test")
{
    protected override Task PrepareAsync(IDockerClient engine) => BaseImages.ImportBusyboxAsync(engine);
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
