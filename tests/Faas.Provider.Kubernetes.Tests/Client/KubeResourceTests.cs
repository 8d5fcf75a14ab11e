using System.Net;
using Faas.Provider.Kubernetes.Api;
using Faas.Provider.Kubernetes.Client;
using Faas.Testing.Kubernetes;

namespace Faas.Provider.Kubernetes.Tests.Client;

public sealed class KubeResourceTests
{
    private static Service NewService(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new() { ["faas_function"] = name } },
        Spec = new ServiceSpec { Selector = new() { ["faas_function"] = name }, Ports = [new ServicePort { Name = "http", Port = 8080, TargetPort = 8080 }] },
    };

    private static Deployment NewDeployment(string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new() { ["faas_function"] = name } },
        Spec = new DeploymentSpec { Replicas = replicas, Selector = new LabelSelector { MatchLabels = new() { ["faas_function"] = name } } },
    };

    [Fact]
    public async Task Every_write_gets_a_new_resource_version_and_a_replace_with_a_stale_one_is_a_conflict()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("fn");
        using var client = new KubernetesClient(server.Connection);
        var services = client.Resources.Services;

        var created = await services.CreateAsync("fn", NewService("a"), CancellationToken.None);
        var replaced = await services.ReplaceAsync("fn", "a", created with { Metadata = created.Metadata with { Annotations = new() { ["x"] = "1" } } }, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<KubernetesException>(() => services.ReplaceAsync("fn", "a", created, CancellationToken.None));
        var unversioned = await Assert.ThrowsAsync<KubernetesException>(() =>
            services.ReplaceAsync("fn", "a", created with { Metadata = created.Metadata with { ResourceVersion = null } }, CancellationToken.None));

        Assert.NotEqual(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal("fn", created.Metadata.Namespace);
        Assert.True(stale.IsConflict);
        Assert.Equal("Conflict", stale.Status!.Reason);
        Assert.Contains("the object has been modified", stale.Message);
        Assert.True(unversioned.IsInvalid);
        Assert.Equal("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", unversioned.FieldMessage);
    }

    [Fact]
    public async Task Status_bodies_become_not_found_already_exists_invalid_and_unauthorized()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("fn");
        using var client = new KubernetesClient(server.Connection);
        using var stranger = new KubernetesClient(server.Connection with { BearerToken = "wrong" });
        var deployments = client.Resources.Deployments;
        await deployments.CreateAsync("fn", NewDeployment("a", 1), CancellationToken.None);

        var missing = await Assert.ThrowsAsync<KubernetesException>(() => deployments.GetAsync("fn", "absent", CancellationToken.None));
        var twice = await Assert.ThrowsAsync<KubernetesException>(() => deployments.CreateAsync("fn", NewDeployment("a", 1), CancellationToken.None));
        var badName = await Assert.ThrowsAsync<KubernetesException>(() => deployments.CreateAsync("fn", NewDeployment("Bad_Name", 1), CancellationToken.None));
        var noNamespace = await Assert.ThrowsAsync<KubernetesException>(() => deployments.CreateAsync("nowhere", NewDeployment("b", 1), CancellationToken.None));
        var unauthorized = await Assert.ThrowsAsync<KubernetesException>(() => stranger.Resources.Deployments.GetAsync("fn", "a", CancellationToken.None));

        Assert.True(missing.IsNotFound);
        Assert.Equal("deployments.apps \"absent\" not found", missing.Status!.Message);
        Assert.True(twice.IsConflict);
        Assert.Equal("AlreadyExists", twice.Status!.Reason);
        Assert.True(badName.IsInvalid);
        Assert.StartsWith("metadata.name: Invalid value: \"Bad_Name\"", badName.FieldMessage);
        Assert.Equal("namespaces \"nowhere\" not found", noNamespace.Status!.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Code);
    }

    [Fact]
    public async Task Lists_filter_by_label_selector_and_carry_the_resource_version()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("fn");
        using var client = new KubernetesClient(server.Connection);
        var services = client.Resources.Services;
        await services.CreateAsync("fn", NewService("a"), CancellationToken.None);
        await services.CreateAsync("fn", NewService("b") with { Metadata = new ObjectMeta { Name = "b" } }, CancellationToken.None);

        var labelled = await services.ListAsync("fn", "faas_function", CancellationToken.None);
        var exact = await services.ListAsync("fn", "faas_function=a", CancellationToken.None);
        var none = await services.ListAsync("fn", "faas_function!=a,faas_function", CancellationToken.None);
        var all = await services.ListAsync("fn", null, CancellationToken.None);

        Assert.Equal(["a"], labelled.Items.Select(s => s.Metadata.Name));
        Assert.Equal(["a"], exact.Items.Select(s => s.Metadata.Name));
        Assert.Empty(none.Items);
        Assert.Equal(["a", "b"], all.Items.Select(s => s.Metadata.Name));
        Assert.Equal(server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), all.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task The_scale_subresource_reads_and_patches_a_deployments_replicas()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("fn");
        using var client = new KubernetesClient(server.Connection);
        await client.Resources.Deployments.CreateAsync("fn", NewDeployment("a", 1), CancellationToken.None);

        var before = await client.Resources.GetScaleAsync("fn", "a", CancellationToken.None);
        var patched = await client.Resources.PatchScaleAsync("fn", "a", 4, CancellationToken.None);
        var deployment = await client.Resources.Deployments.GetAsync("fn", "a", CancellationToken.None);
        var missing = await Assert.ThrowsAsync<KubernetesException>(() => client.Resources.PatchScaleAsync("fn", "absent", 2, CancellationToken.None));

        Assert.Equal(1, before.Spec.Replicas);
        Assert.Equal("faas_function=a", before.Status!.Selector);
        Assert.Equal(4, patched.Spec.Replicas);
        Assert.Equal(4, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);
        Assert.True(missing.IsNotFound);
    }

    [Fact]
    public async Task A_watch_replays_from_its_resource_version_sends_bookmarks_and_is_gone_after_compaction()
    {
        await using var server = await KubeApiServerDouble.StartAsync();
        server.AddNamespace("fn");
        using var client = new KubernetesClient(server.Connection);
        var deployments = client.Resources.Deployments;
        var listed = await deployments.ListAsync("fn", null, CancellationToken.None);
        await deployments.CreateAsync("fn", NewDeployment("a", 1), CancellationToken.None);
        await client.Resources.PatchScaleAsync("fn", "a", 2, CancellationToken.None);

        var events = new List<WatchEvent<Deployment>>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var change in deployments.WatchAsync("fn", "faas_function", listed.Metadata.ResourceVersion!, enough.Token))
        {
            events.Add(change);
            if (change.Type == "BOOKMARK")
            {
                break;
            }
        }

        server.Store.Compact();
        var gone = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var _ in deployments.WatchAsync("fn", null, listed.Metadata.ResourceVersion!, CancellationToken.None))
            {
            }
        });

        Assert.Equal(["ADDED", "MODIFIED", "BOOKMARK"], events.Select(e => e.Type));
        Assert.Equal(2, events[1].Object!.Spec.Replicas);
        Assert.Equal(server.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), events[2].Object!.Metadata.ResourceVersion);
        Assert.True(gone.IsGone);
        Assert.Equal("Expired", gone.Status!.Reason);
    }
}
