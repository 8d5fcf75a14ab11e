using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Faas.Posix.Tests;

/// <summary>Alone (this process's descriptors and threads are read): no other test of the assembly starts any meanwhile.</summary>
[Collection(nameof(SpawnedProcessTests))]
[CollectionDefinition(nameof(SpawnedProcessTests), DisableParallelization = true)]
public class SpawnedProcessTests
{
    private static readonly string[] PlainEnvironment = ["PATH=/usr/bin:/bin"];

    [Fact]
    public async Task Standard_input_reaches_the_child_and_its_output_and_errors_come_back_apart()
    {
        using var child = Start("/bin/sh", "-c", "cat; echo oops >&2");

        await child.StandardInput.WriteAsync("hello"u8.ToArray());
        await child.StandardInput.DisposeAsync();
        var output = ReadAllAsync(child.StandardOutput);
        var error = ReadAllAsync(child.StandardError);

        Assert.Equal("hello", await output);
        Assert.Equal("oops\n", await error);
        Assert.Equal(0, await child.Exited);
    }

    [Fact]
    public async Task The_child_gets_exactly_the_environment_given()
    {
        using var child = SpawnedProcess.Start("/usr/bin/env", ["env"], ["ONLY=this one", "SECOND=2"], newSession: false);
        child.StandardInput.Dispose();

        Assert.Equal("ONLY=this one\nSECOND=2\n", await ReadAllAsync(child.StandardOutput));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_new_session_makes_the_child_the_leader_of_its_session_and_group_and_without_one_it_stays_in_ours(bool newSession)
    {
        using var child = Start(newSession, "/bin/cat", "/proc/self/stat");
        child.StandardInput.Dispose();

        // pid (comm) state ppid pgrp session: comm is "cat", no spaces to split wrongly.
        var fields = (await ReadAllAsync(child.StandardOutput)).Split(' ');
        var (group, session) = (int.Parse(fields[4], CultureInfo.InvariantCulture), int.Parse(fields[5], CultureInfo.InvariantCulture));
        var ours = File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ');
        if (newSession)
        {
            Assert.Equal((child.Id, child.Id), (group, session));
        }
        else
        {
            Assert.Equal((ours[2], ours[3]), (group.ToString(CultureInfo.InvariantCulture), session.ToString(CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task The_exit_code_is_the_childs_status_or_128_and_the_signal_that_ended_it()
    {
        using var exiting = Start("/bin/sh", "-c", "exit 7");
        using var killed = Start("/bin/sh", "-c", "kill -TERM $$");

        Assert.Equal(7, await exiting.Exited);
        Assert.Equal(128 + 15, await killed.Exited);
    }

    [Fact]
    public async Task An_exited_child_is_reaped_and_leaves_no_zombie()
    {
        using var child = Start("/bin/true");

        await child.Exited;

        Assert.False(Directory.Exists($"/proc/{child.Id}"), $"process {child.Id} is still in /proc after it was reaped");
    }

    [Fact]
    public void A_program_that_cannot_start_fails_with_its_path_and_reason_and_leaves_no_descriptor_open()
    {
        var before = OpenDescriptors();

        var error = Assert.Throws<Win32Exception>(() => Start("/nonexistent/program"));

        Assert.Contains("/nonexistent/program", error.Message);
        Assert.Contains("No such file", error.Message);
        Assert.Empty(OpenedSince(before));
    }

    [Fact]
    public void A_descriptor_numbered_among_the_childs_first_is_refused_rather_than_overwritten_and_nothing_is_left_open()
    {
        var before = OpenDescriptors();
        using var ourStdout = new SafeFileHandle(1, ownsHandle: false);

        var error = Assert.Throws<InvalidOperationException>(() =>
            SpawnedProcess.Start("/bin/true", ["/bin/true"], PlainEnvironment, newSession: true, descriptors: [ourStdout]));

        Assert.Contains("descriptor 1", error.Message);
        Assert.Empty(OpenedSince(before));
    }

    [Fact]
    public async Task Our_ends_of_the_pipes_close_with_the_process_object()
    {
        var child = Start("/bin/cat");
        // A pipe has one inode for both ends: the child's standard streams name the pipes whose other ends are ours.
        var pipes = Enumerable.Range(0, 3).Select(fd => new FileInfo($"/proc/{child.Id}/fd/{fd}").LinkTarget).ToHashSet();
        Assert.All(pipes, target => Assert.StartsWith("pipe:", target));
        Assert.Equal(3, OpenDescriptors().Values.Count(pipes.Contains));
        // The child's pidfd, which the reaper closes once it has reaped the child.
        var pidfd = Assert.Single(OpenDescriptors().Keys, fd => PidfdTarget(fd) == child.Id);

        child.Dispose();

        Assert.Equal(0, await child.Exited);
        Assert.DoesNotContain(OpenDescriptors().Values, pipes.Contains);
        Assert.Null(PidfdTarget(pidfd));
    }

    [Fact]
    public async Task Children_exiting_together_are_reaped_by_one_thread_each_with_its_own_exit_code()
    {
        var threadsBefore = Directory.GetDirectories("/proc/self/task").Length;
        var children = Enumerable.Range(0, 40).Select(code => Start("/bin/sh", "-c", $"sleep 0.3; exit {code}")).ToList();
        var threadsWhileRunning = Directory.GetDirectories("/proc/self/task").Length;

        var codes = await Task.WhenAll(children.Select(child => child.Exited));

        Assert.Equal(Enumerable.Range(0, 40), codes);
        Assert.True(threadsWhileRunning - threadsBefore <= 2, $"{threadsWhileRunning - threadsBefore} threads more for 40 children");
        Assert.All(children, child => Assert.False(Directory.Exists($"/proc/{child.Id}"), $"{child.Id} is not reaped"));
        children.ForEach(child => child.Dispose());
    }

    /// <summary>This process's descriptors and what each refers to. Compared by what they are, not by how many: the
    /// runtime and earlier tests' handles open and close descriptors of their own meanwhile.</summary>
    private static Dictionary<string, string> OpenDescriptors() =>
        Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => (Number: Path.GetFileName(fd), Target: Target(fd)))
            .Where(entry => entry.Target is not null)
            .ToDictionary(entry => entry.Number, entry => entry.Target!);

    private static List<string> OpenedSince(Dictionary<string, string> before) =>
        [.. OpenDescriptors().Where(entry => !(before.TryGetValue(entry.Key, out var target) && target == entry.Value)).Select(entry => $"{entry.Key} -> {entry.Value}")];

    /// <summary>The process a pidfd of ours refers to (-1 once reaped), or null if that descriptor is no pidfd.</summary>
    private static int? PidfdTarget(string fd)
    {
        if (Target($"/proc/self/fd/{fd}") != "anon_inode:[pidfd]")
        {
            return null;
        }

        try
        {
            var pid = File.ReadLines($"/proc/self/fdinfo/{fd}").First(line => line.StartsWith("Pid:", StringComparison.Ordinal))["Pid:".Length..];
            return int.Parse(pid.Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // closed since it was listed
        }
    }

    private static string? Target(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed since it was listed
        }
    }

    private static SpawnedProcess Start(string path, params string[] arguments) => Start(newSession: true, path, arguments);

    private static SpawnedProcess Start(bool newSession, string path, params string[] arguments) =>
        SpawnedProcess.Start(path, [path, .. arguments], PlainEnvironment, newSession);

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
