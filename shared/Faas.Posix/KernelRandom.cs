using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// Random bytes from the kernel's CSPRNG, getrandom(2). On Linux <c>RandomNumberGenerator</c> asks OpenSSL, and loading
/// OpenSSL costs a process that never speaks TLS about 3.5 MB resident for good; OpenSSL seeds from this same source.
/// </summary>
public static partial class KernelRandom
{
    private const int Eintr = 4;

    /// <summary>Fills <paramref name="buffer"/>; blocks only until the kernel's pool is first initialised at boot.</summary>
    public static void Fill(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = GetRandom(ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, 0);
            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw new IOException($"getrandom failed: errno {errno}");
            }

            buffer = buffer[(int)read..];
        }
    }

    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static partial nint GetRandom(ref byte buffer, nuint length, uint flags);
}
