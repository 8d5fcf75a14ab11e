using System.Net.Sockets;

namespace Faas.Provider.Local.Tests.Replicas;

public class RollingUpdateTests
{
    [Fact]
    public async Task Update_replaces_replicas_while_a_steady_stream_of_requests_sees_no_error()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("rolling", "echo v1"), CancellationToken.None);
        await fixture.Provider.ScaleAsync(new() { ServiceName = "rolling", Replicas = 2 }, CancellationToken.None);
        await fixture.WaitForReadyAsync("rolling", 2);

        using var stop = new CancellationTokenSource();
        var answers = new List<string>();
        var errors = new List<string>();
        var traffic = Task.Run(async () =>
        {
            var next = 0;
            while (!stop.IsCancellationRequested)
            {
                var answer = await InvokeLikeTheGatewayAsync(fixture.Provider, next++);
                lock (answers)
                {
                    (answer.StartsWith('v') ? answers : errors).Add(answer);
                }
            }
        });

        await Task.Delay(300);
        await fixture.Provider.UpdateAsync(LocalProviderFixture.Function("rolling", "echo v2"), CancellationToken.None);

        // The update answers at once; new replicas take over in the background.
        Assert.True(await ProcessTable.EventuallyAsync(() => { lock (answers) { return answers.Contains("v2\n"); } }, TimeSpan.FromSeconds(20)), "v2 never answered");
        await Task.Delay(500);
        await stop.CancelAsync();
        await traffic;

        Assert.Empty(errors);
        Assert.Contains("v1\n", answers);
        Assert.Equal("v2\n", answers[^1]);
        Assert.Equal(2, fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("rolling")).Count);
        Assert.Equal(2, LocalProviderFixture.ReplicaProcesses("rolling").Count);
        Assert.Equal(2UL, (await fixture.Provider.GetAsync("rolling", "", CancellationToken.None)).Replicas);
    }

    [Fact]
    public async Task Http_mode_replicas_each_get_their_own_upstream_port()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        var deployment = LocalProviderFixture.Function("web", $"sh -c 'exec {RepoPaths.TestUpstream} $PORT'", new() { ["mode"] = "http" });

        await fixture.Provider.DeployAsync(deployment, CancellationToken.None);
        await fixture.Provider.ScaleAsync(new() { ServiceName = "web", Replicas = 2 }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("web", 2);

        foreach (var endpoint in ready)
        {
            using var response = await TestHttp.Client.GetAsync($"http://127.0.0.1:{endpoint.Port}/");
            Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Picks a ready replica round robin; a refused connection (a replica that just left) is retried once on another, as the gateway does.</summary>
    private static async Task<string> InvokeLikeTheGatewayAsync(IFunctionProvider provider, int attempt)
    {
        for (var retry = 0; retry < 2; retry++)
        {
            var ready = provider.GetReadyEndpoints(LocalProviderFixture.Key("rolling"));
            if (ready.Count == 0)
            {
                return "no ready replica";
            }

            var endpoint = ready[(attempt + retry) % ready.Count];
            try
            {
                using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{endpoint.Port}/", new StringContent(""));
                var body = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode ? body : $"{(int)response.StatusCode}: {body}";
            }
            catch (HttpRequestException error) when (error.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && retry == 0)
            {
            }
        }

        return "connection refused twice";
    }
}
