using System.Net.Sockets;

namespace Faas.Provider.Local.Tests.Replicas;

/// <summary>
/// A replica is routed when its watchdog reports it is ready (FAAS_READY_FD): the report is sent once `/_/health` would
/// answer 200, so no health check follows it. A watchdog that never reports, or whose pipe closes without a report, is
/// polled until its health answers.
/// </summary>
public class ReadinessTests
{
    [Fact]
    public async Task A_watchdog_that_never_reports_is_found_ready_by_polling()
    {
        // As a watchdog from before the report: it holds descriptor 3 and never writes to it or closes it.
        using var scripts = new TempDirectory("faas-readiness-");
        await using var fixture = await StartWithWatchdogAsync(scripts, $"exec env -u FAAS_READY_FD {RepoPaths.Watchdog}");

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("silent", "cat"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("silent", 1);

        Assert.Equal("polled", await LocalProviderFixture.InvokeAsync(ready[0], "polled"));
    }

    [Fact]
    public async Task A_replica_is_routed_on_its_report_without_a_health_check()
    {
        // Reports ready and listens nowhere: only the report can have made it ready.
        using var scripts = new TempDirectory("faas-readiness-");
        await using var fixture = await StartWithWatchdogAsync(scripts, "printf '\\n' >&3; exec 3>&-; exec sleep 60");

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("reported", "cat"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("reported", 1);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync("127.0.0.1", ready[0].Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_report_pipe_closed_without_a_report_is_not_taken_for_readiness()
    {
        // Closes descriptor 3 at once without writing, then answers nothing: it must never count as ready.
        using var scripts = new TempDirectory("faas-readiness-");
        await using var fixture = await StartWithWatchdogAsync(scripts, "exec 3>&-; exec sleep 60");

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("unreported", "cat"), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Single(LocalProviderFixture.ReplicaProcesses("unreported"));
        Assert.Empty(fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("unreported")));
    }

    /// <summary>A provider whose replicas run <paramref name="script"/> (sh, written in <paramref name="scripts"/>) in place of the watchdog, unsandboxed.</summary>
    private static async Task<LocalProviderFixture> StartWithWatchdogAsync(TempDirectory scripts, string script)
    {
        var wrapper = scripts.Combine("watchdog");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return await LocalProviderFixture.StartAsync(sandbox: false, configure: options => options.WatchdogPath = wrapper);
    }
}
