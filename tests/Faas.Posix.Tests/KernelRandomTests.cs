namespace Faas.Posix.Tests;

public class KernelRandomTests
{
    [Fact]
    public void Draws_differ_and_fill_the_whole_buffer()
    {
        var first = KernelRandom.GetBytes(32);
        var second = KernelRandom.GetBytes(32);

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_large_buffer_is_filled_evenly()
    {
        // More than one getrandom call may return for a buffer this size; every byte value should show up about
        // 4,096 times. A run of untouched zeros or a short fill would skew the counts far past these bounds.
        var bytes = new byte[1 << 20];
        KernelRandom.Fill(bytes);

        var counts = new int[256];
        foreach (var value in bytes)
        {
            counts[value]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 3600, 4600));
    }
}
