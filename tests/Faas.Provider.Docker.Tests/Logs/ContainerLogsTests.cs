using Faas.Provider.Docker.Logs;
using Faas.Testing;
using static Faas.Provider.Docker.Tests.ProviderTestKit;

namespace Faas.Provider.Docker.Tests.Logs;

[Collection(DockerCollection.Name)]
public sealed class ContainerLogsTests(DockerFixture fixture)
{
    [DockerFact]
    public async Task A_functions_stderr_is_read_back_and_followed_across_replicas()
    {
        using var state = new TempDirectory("faas-docker-");
        await using var provider = await fixture.StartProviderAsync(state);
        var name = Unique("chatty");
        await provider.DeployAsync(Function(name, "sh -c 'echo \"said $(cat)\" >&2'"), CancellationToken.None);
        var ready = Assert.Single(await WaitForReadyAsync(provider, name, 1));
        await InvokeAsync(ready, "one");

        // The watchdog writes its log in batches (a few ms behind the invocation), so the line is waited for.
        var history = new List<Wire.LogMessage>();
        await ProcessTable.EventuallyAsync(async () =>
        {
            history.Clear();
            await foreach (var message in provider.GetLogsAsync(new LogRequest(name, "openfaas-fn"), CancellationToken.None))
            {
                history.Add(message);
            }

            return history.Any(m => m.Text == "said one");
        }, TimeSpan.FromSeconds(10));

        using var following = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var followed = new List<Wire.LogMessage>();
        var follow = Task.Run(async () =>
        {
            await foreach (var message in provider.GetLogsAsync(new LogRequest(name, "openfaas-fn") { Follow = true, Tail = 0 }, following.Token))
            {
                followed.Add(message);
                if (message.Text == "said two")
                {
                    return;
                }
            }
        });
        await Task.Delay(500);
        await InvokeAsync(ready, "two");
        await follow;

        var said = Assert.Single(history, m => m.Text == "said one");
        Assert.Equal(ready.Instance, said.Instance);
        Assert.InRange(said.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
        Assert.DoesNotContain(followed, m => m.Text == "said one");
        Assert.Contains(followed, m => m.Text == "said two");
    }
}
