using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Faas.Posix.Tests;

/// <summary>Alone (descriptors of this process are counted): no other test of the assembly opens any meanwhile.</summary>
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
        var before = Directory.GetFileSystemEntries("/proc/self/fd").Length;

        var error = Assert.Throws<Win32Exception>(() => Start("/nonexistent/program"));

        Assert.Contains("/nonexistent/program", error.Message);
        Assert.Contains("No such file", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries("/proc/self/fd").Length);
    }

    [Fact]
    public void A_descriptor_numbered_among_the_childs_first_is_refused_rather_than_overwritten_and_nothing_is_left_open()
    {
        var before = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        using var ourStdout = new SafeFileHandle(1, ownsHandle: false);

        var error = Assert.Throws<InvalidOperationException>(() =>
            SpawnedProcess.Start("/bin/true", ["/bin/true"], PlainEnvironment, newSession: true, descriptors: [ourStdout]));

        Assert.Contains("descriptor 1", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries("/proc/self/fd").Length);
    }

    [Fact]
    public async Task Our_ends_of_the_pipes_close_with_the_process_object()
    {
        // The reaper's wake-up pipe is made with the first child: one is started before counting.
        using (var first = Start("/bin/true"))
        {
            await first.Exited;
        }

        var before = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        var child = Start("/bin/cat");
        // Three pipes, and the child's pidfd, which the reaper closes once it has reaped the child.
        Assert.Equal(before + 4, Directory.GetFileSystemEntries("/proc/self/fd").Length);

        child.Dispose();

        Assert.Equal(0, await child.Exited);
        Assert.Equal(before, Directory.GetFileSystemEntries("/proc/self/fd").Length);
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

    private static SpawnedProcess Start(string path, params string[] arguments) => Start(newSession: true, path, arguments);

    private static SpawnedProcess Start(bool newSession, string path, params string[] arguments) =>
        SpawnedProcess.Start(path, [path, .. arguments], PlainEnvironment, newSession);

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
