using System.Collections;
using System.Globalization;
using Faas.Provider.Wire;
using Faas.Testing;

namespace Faas.Provider.Local.Tests.Isolation;

/// <summary>A function is untrusted: it must find nothing of the gateway's environment, state or other functions' secrets.</summary>
public class ReplicaIsolationTests
{
    private const string Canary = "FAAS_TEST_CANARY";

    /// <summary>Variables any process may carry and a replica gets values of its own for.</summary>
    private static readonly HashSet<string> Ordinary = ["PATH", "LANG", "HOME", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD"];

    [Fact]
    public async Task A_function_sees_none_of_the_hosts_environment()
    {
        Environment.SetEnvironmentVariable(Canary, "canary-" + Guid.NewGuid().ToString("N"));
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("printenv", "env", new() { ["GREETING"] = "hello" }), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("printenv", 1);

        var output = await LocalProviderFixture.InvokeAsync(ready[0]);

        Assert.Contains("GREETING=hello", output);
        Assert.Contains("FAAS_FUNCTION_NAME=printenv", output);
        var lines = output.Split('\n');
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => ((string)e.Key, (string?)e.Value ?? "")))
        {
            if (!Ordinary.Contains(name))
            {
                Assert.DoesNotContain($"{name}={value}", lines);
            }
        }

        Assert.DoesNotContain(lines, line => line.StartsWith(Canary + "=", StringComparison.Ordinal));
    }

    /// <summary>
    /// A function's envVars came after the backend's own variables: listen_address=0.0.0.0 put its watchdog on every
    /// interface, and FAAS_REPLICA_ID or FAAS_LIFELINE let a replica outlive its gateway unseen.
    /// </summary>
    [Theory]
    [InlineData("listen_address", "0.0.0.0")]
    [InlineData("port", "80")]
    [InlineData("FAAS_REPLICA_ID", "someone-else")]
    [InlineData("FAAS_LIFELINE", "0")]
    public async Task A_function_cannot_set_the_variables_the_backend_gives_its_watchdog(string name, string value)
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        var function = LocalProviderFixture.Function("sneaky", "cat", new() { [name] = value });
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("sneaky", "cat"), CancellationToken.None);

        var deploy = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.DeployAsync(function with { Service = "sneaky2" }, CancellationToken.None));
        var update = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.UpdateAsync(function, CancellationToken.None));

        Assert.Equal((ProviderError.Invalid, ProviderError.Invalid), (deploy.Kind, update.Kind));
        Assert.Contains($"\"{name}\"", deploy.Message);
        Assert.DoesNotContain(await fixture.Provider.ListAsync("", CancellationToken.None), status => status.Name == "sneaky2");
    }

    [SandboxFact]
    public async Task A_function_cannot_read_the_state_directory_another_functions_secret_or_the_hosts_processes()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        await using var fixture = await LocalProviderFixture.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(fixture.State.Path, "admin-password"), canary);
        await fixture.Provider.CreateSecretAsync(new Secret { Name = "victim-key", Value = canary }, CancellationToken.None);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("victim", "cat") with { Secrets = ["victim-key"] }, CancellationToken.None);
        var victimSecrets = Path.Combine(fixture.State.Path, "functions", "openfaas-fn", "victim", "secrets");
        Assert.True(File.Exists(Path.Combine(victimSecrets, "victim-key")), "the victim's secret is where the prober will look");
        var probe = string.Join("; ", [
            "id -u",
            "cat $STATE/admin-password",
            "ls $STATE",
            "cat $VICTIM/victim-key",
            "cat /proc/$HOSTPID/environ",
            "cat $STATE/secrets/openfaas-fn/victim-key",
            "grep -E \"^(CapEff|NoNewPrivs):\" /proc/self/status",
            "echo probed"]);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("prober", $"sh -c '{probe}'", new()
        {
            ["STATE"] = fixture.State.Path,
            ["VICTIM"] = victimSecrets,
            ["HOSTPID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        }), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("prober", 1);

        var output = await LocalProviderFixture.InvokeAsync(ready[0]);

        Assert.EndsWith("probed\n", output);
        Assert.Contains("CapEff:\t0000000000000000\nNoNewPrivs:\t1\n", output);
        Assert.DoesNotContain(canary, output);
        Assert.DoesNotContain("admin-password", output);
        Assert.DoesNotContain(Canary, output);
        if (Faas.Posix.FileOwner.IsRoot)
        {
            Assert.StartsWith("65534\n", output);
        }

        var logs = await TestLogs.ReadAllAsync(fixture.Provider, "prober");
        Assert.DoesNotContain(logs, message => message.Text.Contains(canary, StringComparison.Ordinal));
    }

    /// <summary>
    /// The host's disk, where the gateway keeps its state, is not a function's to fill: its /tmp is in memory and of a
    /// set size (it was a directory of the state). The empty directories that hide the host's hold one page: under a
    /// gateway that is not root they belong to the function, and each could take half the host's memory.
    /// </summary>
    [SandboxFact]
    public async Task A_function_writes_no_more_than_its_tmp_holds_and_nothing_beside_it()
    {
        const int size = 4 * 1024 * 1024;
        await using var fixture = await LocalProviderFixture.StartAsync(configure: options => options.TmpfsBytes = size);
        var probe = string.Join("; ", [
            "dd if=/dev/zero of=/tmp/fill bs=1M count=8 2>&1 | grep -o \"No space left on device\"",
            "stat -c \"fill %s\" /tmp/fill",
            "cat /proc/self/mountinfo",
            "echo probed"]);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("filler", $"sh -c '{probe}'"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("filler", 1);

        var lines = (await LocalProviderFixture.InvokeAsync(ready[0])).Split('\n');

        Assert.Contains("probed", lines);
        Assert.Contains("No space left on device", lines);
        var filled = long.Parse(Assert.Single(lines, line => line.StartsWith("fill ", StringComparison.Ordinal))["fill ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(filled, 1, size);

        // A mountinfo line: ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS ... - TYPE SOURCE SUPER-OPTIONS. Where one
        // is mounted over another, the later line is the one seen.
        var mounts = lines.Select(line => line.Split(' ')).Where(fields => fields.Length > 9 && fields[0].All(char.IsAsciiDigit))
            .GroupBy(fields => fields[4]).ToDictionary(group => group.Key, group => group.Last()[^1]);
        Assert.Contains("size=4096k", mounts["/tmp"].Split(','));
        Assert.All(new[] { "/root", "/home", "/run", "/var", "/mnt", "/media", "/srv" }.Where(Directory.Exists), hidden =>
            Assert.True(mounts.TryGetValue(hidden, out var options) && options.Split(',').Contains("size=4k"), $"{hidden} is mounted {options ?? "not at all"}"));
    }

    [Fact]
    public async Task A_tmp_size_that_is_not_positive_is_a_start_up_failure_that_names_the_setting()
    {
        using var state = new TempDirectory("faas-tmpfs-");
        var options = LocalProviderFixture.OptionsFor(state.Path);
        options.TmpfsBytes = 0;

        var error = await Assert.ThrowsAsync<ProviderStartException>(() => LocalProvider.StartAsync(options));

        Assert.Contains("Gateway:Local:TmpfsBytes is 0", error.Message);
    }

    /// <summary>
    /// The programs that make the sandbox (bubblewrap, the shell that joins the control group) run as root on
    /// the host, and the dynamic loader obeys the environment they are given: a function's envVars once reached them,
    /// so LD_PRELOAD naming a library in its bundle ran its code as root outside the sandbox. Here the loader is only
    /// asked to log to a host directory the sandbox cannot see: any file there was written by a process outside it.
    /// </summary>
    [SandboxFact]
    public async Task A_functions_variables_reach_only_the_watchdog_never_the_programs_that_build_its_sandbox_as_root()
    {
        var outside = Directory.CreateTempSubdirectory("faas-loader-log-");
        try
        {
            await using var fixture = await LocalProviderFixture.StartAsync();
            var function = LocalProviderFixture.Function("loader", "printenv LD_DEBUG_OUTPUT", new()
            {
                ["LD_DEBUG"] = "files",
                ["LD_DEBUG_OUTPUT"] = Path.Combine(outside.FullName, "loader"),
            });
            if (LimitsAvailability.SkipReason is null)
            {
                function = function with { Limits = new FunctionResources { Memory = "256Mi" } };
            }

            await fixture.Provider.DeployAsync(function, CancellationToken.None);
            var ready = await fixture.WaitForReadyAsync("loader", 1);

            // Inside, the loader cannot open that path and logs to the output instead: the function has its variables.
            Assert.EndsWith(Path.Combine(outside.FullName, "loader") + "\n", await LocalProviderFixture.InvokeAsync(ready[0]));
            var written = outside.GetFiles().Select(file => $"{file.Name}: {File.ReadLines(file.FullName).FirstOrDefault()}").ToList();
            Assert.True(written.Count == 0, "processes outside the sandbox obeyed the function's variables: " + string.Join("; ", written));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [SandboxFact]
    public async Task A_function_reads_its_own_secrets_at_the_openfaas_path_from_a_fresh_replica_and_from_a_standby()
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys: 1);
        await fixture.Provider.CreateSecretAsync(new Secret { Name = "api-key", Value = "own-value" }, CancellationToken.None);
        var reader = LocalProviderFixture.Function("reader", "cat /var/openfaas/secrets/api-key") with { Secrets = ["api-key"] };

        await fixture.Provider.DeployAsync(reader, CancellationToken.None);
        var fromStandby = await fixture.WaitForReadyAsync("reader", 1);
        Assert.Equal("own-value", await LocalProviderFixture.InvokeAsync(fromStandby[0]));

        // The standby was taken by the first replica; with sched_batch set the function gets a watchdog of its own.
        await fixture.Provider.DeployAsync(reader with { Service = "reader2", EnvVars = new() { ["sched_batch"] = "true" } }, CancellationToken.None);
        var fresh = await fixture.WaitForReadyAsync("reader2", 1);
        Assert.Equal("own-value", await LocalProviderFixture.InvokeAsync(fresh[0]));
    }

    [SandboxFact]
    public Task Killing_a_sandboxed_watchdog_takes_its_function_process_with_it() => KillWatchdogAsync(sandbox: true);

    [Fact]
    public Task Killing_an_unsandboxed_watchdog_takes_its_function_process_with_it() => KillWatchdogAsync(sandbox: false);

    private static async Task KillWatchdogAsync(bool sandbox)
    {
        await using var fixture = await LocalProviderFixture.StartAsync(sandbox: sandbox);
        var function = LocalProviderFixture.Function("holder", RepoPaths.TestUpstream, new() { ["mode"] = "http" });
        await fixture.Provider.DeployAsync(function, CancellationToken.None);
        await fixture.WaitForReadyAsync("holder", 1);
        var processes = LocalProviderFixture.ProcessesOf("holder");
        var upstream = Assert.Single(processes, pid => ProcessTable.Executable(pid) == RepoPaths.TestUpstream);
        var watchdog = Assert.Single(processes, pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog);

        Faas.Posix.Signals.Send(watchdog, Faas.Posix.Signals.SigKill);

        Assert.True(await ProcessTable.EventuallyAsync(() => !ProcessTable.IsAlive(upstream), TimeSpan.FromSeconds(10)),
            $"the function process {upstream} outlived its watchdog {watchdog}");
        await fixture.WaitForReadyAsync("holder", 1);
    }

    [Fact]
    public async Task Every_directory_of_the_state_is_private()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.CreateSecretAsync(new Secret { Name = "token", Value = "t" }, CancellationToken.None);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("private", "sh -c 'echo logged >&2'") with { Secrets = ["token"] }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("private", 1);
        await LocalProviderFixture.InvokeAsync(ready[0]);
        await TestLogs.WaitForLineAsync(fixture.Provider, "private", "logged");

        var directories = Directory.EnumerateDirectories(fixture.State.Path, "*", SearchOption.AllDirectories).Prepend(fixture.State.Path).ToList();

        Assert.Contains(directories, directory => directory.EndsWith("/functions/openfaas-fn", StringComparison.Ordinal));
        Assert.Contains(directories, directory => directory.EndsWith("/logs/openfaas-fn", StringComparison.Ordinal));
        Assert.All(directories, directory => Assert.True(
            File.GetUnixFileMode(directory) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
            $"{directory} is {File.GetUnixFileMode(directory)}"));
    }
}
