using Faas.Testing;

namespace Faas.Watchdog.Tests.Server;

/// <summary>
/// <c>FAAS_ENVIRONMENT=stdin</c>: a watchdog started for its function at once (not a standby) reads the function's
/// variables from the first line of stdin, as the local backend passes them.
/// </summary>
public class AssignmentTests
{
    private static (ChildProcess Process, int Port, TempDirectory Temp) Start() => StdinConfiguredWatchdog.Start("FAAS_ENVIRONMENT", "stdin");

    [Fact]
    public async Task The_variables_on_stdin_configure_the_watchdog_before_it_starts_and_reach_the_function()
    {
        var (process, port, temp) = Start();
        using var _ = temp;
        await using var __ = process;

        // sched_batch is read before the runtime's thread pool starts: it must already be there.
        await process.WriteLineToStdinAsync("""{"fprocess":"sh -c 'echo \"$GREETING\"'","GREETING":"hi","sched_batch":"false"}""");
        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{port}/_/health", TimeSpan.FromSeconds(10), () => process.Output);
        using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent(""));

        Assert.Equal("hi\n", await response.Content.ReadAsStringAsync());
        Assert.True(SchedulingPolicies.AllThreadsRun(process.Pid, SchedulingPolicies.Other), SchedulingPolicies.Describe(process.Pid));
    }

    [Fact]
    public async Task A_malformed_line_exits_2_naming_it()
    {
        var (process, _, temp) = Start();
        using var _ = temp;
        await using var __ = process;

        await process.WriteLineToStdinAsync("""["not", "an", "object"]""");

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("function assignment", process.Output);
    }

    [Fact]
    public async Task Stdin_closed_before_any_line_exits_quietly()
    {
        var (process, _, temp) = Start();
        using var _ = temp;
        await using var __ = process;

        process.CloseStdin();

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, process.ExitCode);
    }

    [Theory]
    [InlineData("""{"fprocess":"cat","GREETING":"h\u00e9 \"there\""}""", "fprocess=cat;GREETING=hé \"there\"")]
    [InlineData("{}", "")]
    [InlineData("""{"count":1}""", null)]
    [InlineData("""{"nested":{"a":"b"}}""", null)]
    [InlineData("""{"a":"b"} {"c":"d"}""", null)]
    [InlineData("{\"a\":\"b\"", null)]
    [InlineData("""["a","b"]""", null)]
    public void Only_a_flat_object_of_strings_is_an_assignment(string line, string? expected)
    {
        var parsed = Faas.Watchdog.Server.Assignment.Parse(System.Text.Encoding.UTF8.GetBytes(line));

        Assert.Equal(expected, parsed is null ? null : string.Join(';', parsed.Select(variable => $"{variable.Key}={variable.Value}")));
    }
}
