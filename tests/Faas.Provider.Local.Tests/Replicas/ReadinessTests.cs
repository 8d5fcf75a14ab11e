namespace Faas.Provider.Local.Tests.Replicas;

/// <summary>A replica's health is checked when its watchdog reports it is ready (FAAS_READY_FD), and polled when it never does.</summary>
public class ReadinessTests
{
    [Fact]
    public async Task A_watchdog_that_never_reports_is_found_ready_by_polling()
    {
        using var scripts = new TempDirectory("faas-silent-");
        var wrapper = scripts.Combine("silent-watchdog");
        // As a watchdog from before the report: it holds descriptor 3 and never writes to it or closes it.
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec env -u FAAS_READY_FD {RepoPaths.Watchdog}\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var fixture = await LocalProviderFixture.StartAsync(sandbox: false, configure: options => options.WatchdogPath = wrapper);

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("silent", "cat"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("silent", 1);

        Assert.Equal("polled", await LocalProviderFixture.InvokeAsync(ready[0], "polled"));
    }
}
