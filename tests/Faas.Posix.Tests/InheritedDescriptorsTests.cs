using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Faas.Posix.Tests;

/// <summary>
/// Each test makes an inheritable descriptor here with dup(2) (.NET's own are close-on-exec), proves that a child
/// reads through it, marks it and proves that no child can, while this process still reads through it.
/// </summary>
public partial class InheritedDescriptorsTests : IDisposable
{
    private const string Secret = "the parent's secret";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"faas-inherited-{Guid.NewGuid():N}");

    public InheritedDescriptorsTests() => File.WriteAllText(_file, Secret);

    [Fact]
    public Task Kept_from_children_a_descriptor_stays_open_here_and_reaches_no_child() =>
        ProveAsync(InheritedDescriptors.KeepFromChildren);

    [Fact]
    public Task The_fallback_through_proc_keeps_them_from_children_too() =>
        ProveAsync(() => InheritedDescriptors.MarkListed("/proc/self/fd"));

    [Fact]
    public void A_fallback_that_cannot_list_says_why()
    {
        var reason = InheritedDescriptors.MarkListed("/nonexistent/fd");

        Assert.StartsWith("/nonexistent/fd cannot be listed", reason);
    }

    public void Dispose()
    {
        File.Delete(_file);
        GC.SuppressFinalize(this);
    }

    private async Task ProveAsync(Func<string?> keep)
    {
        using var opened = File.OpenHandle(_file);
        var descriptor = Dup((int)opened.DangerousGetHandle());
        Assert.True(descriptor > 2, $"dup failed: errno {Marshal.GetLastPInvokeError()}");
        using var inheritable = new SafeFileHandle(descriptor, ownsHandle: true);
        Assert.Equal(Secret, await ReadInChildAsync(descriptor));

        Assert.Null(keep());

        Assert.Equal("", await ReadInChildAsync(descriptor));
        var buffer = new byte[64];
        var read = RandomAccess.Read(inheritable, buffer, fileOffset: 0);
        Assert.Equal(Secret, System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static async Task<string> ReadInChildAsync(int descriptor)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", $"cat /dev/fd/{descriptor.ToString(CultureInfo.InvariantCulture)} 2>/dev/null"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return output;
    }

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int descriptor);
}
