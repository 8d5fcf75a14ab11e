using System.Globalization;
using System.IO.Pipes;
using Faas.Posix;

namespace Faas.Watchdog.Tests.Server;

/// <summary>FAAS_READY_FD: the local backend passes a pipe as descriptor 3 and checks health when the watchdog reports on it.</summary>
public class ReadyReportTests
{
    [Fact]
    public async Task Once_healthy_the_watchdog_writes_a_newline_to_its_ready_descriptor_and_closes_it_where_its_function_never_had_it()
    {
        using var temp = new TempDirectory("faas-ready-");
        var (port, upstreamPort) = (FreePort.Next(), FreePort.Next());
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["mode"] = "http",
            ["fprocess"] = $"{RepoPaths.TestUpstream} {upstreamPort}",
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["listen_address"] = "127.0.0.1",
            ["TMPDIR"] = temp.Path,
            ["healthcheck_interval"] = "0",
            ["FAAS_READY_FD"] = "3",
        };
        using var report = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var watchdog = SpawnedProcess.Start(RepoPaths.Watchdog, [RepoPaths.Watchdog], [.. environment.Select(variable => $"{variable.Key}={variable.Value}")],
            newSession: true, descriptors: [report.ClientSafePipeHandle]);
        report.DisposeLocalCopyOfClientHandle();
        var output = Task.WhenAll(watchdog.StandardOutput.CopyToAsync(Stream.Null), watchdog.StandardError.CopyToAsync(Stream.Null));
        try
        {
            var buffer = new byte[16];
            var read = await report.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            using var health = await TestHttp.Client.GetAsync($"http://127.0.0.1:{port}/_/health");

            Assert.Equal("\n", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            Assert.Equal(200, (int)health.StatusCode);
            // The end of the pipe: the watchdog closed its end, and its function, running by now, holds none.
            Assert.Equal(0, await report.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            Signals.SendToGroup(watchdog.Id, Signals.SigKill);
            await watchdog.Exited;
            await output;
        }
    }
}
