using Faas.Gateway.Calls;

namespace Faas.Gateway.Tests.Calls;

public class LowerHexTests
{
    [Fact]
    public void Bytes_are_written_as_Convert_writes_them_in_lower_case_and_nothing_past_them()
    {
        var random = new Random(20261203);
        foreach (var length in new[] { 0, 1, 2, 8, 16, 33 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var into = new string('.', (length * 2) + 3).ToCharArray();

            LowerHex.Write(bytes, into);

            Assert.Equal(Convert.ToHexStringLower(bytes) + "...", new string(into));
        }

        Assert.Equal("00ff0a", WriteAll([0x00, 0xff, 0x0a]));
    }

    private static string WriteAll(byte[] bytes)
    {
        var into = new char[bytes.Length * 2];
        LowerHex.Write(bytes, into);
        return new string(into);
    }
}
