using System.Text;
using Faas.Gateway.Security;

namespace Faas.Gateway.Tests.Security;

public class SecretComparisonTests
{
    [Theory]
    [InlineData("s3cret", "s3cret", true)]
    [InlineData("s3cret", "s3creT", false)]
    [InlineData("s3cret", "s3cre", false)]
    [InlineData("s3cret", "s3crets", false)]
    [InlineData("s3cret", "s3crets3cret", false)]
    [InlineData("ab", "abab", false)]
    [InlineData("s3cret", "", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void Only_the_exact_secret_matches(string secret, string given, bool expected)
    {
        Assert.Equal(expected, SecretComparison.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secret)));
    }

    [Fact]
    public void Every_single_bit_changed_is_refused()
    {
        var secret = Encoding.UTF8.GetBytes("correct horse battery staple");
        for (var bit = 0; bit < secret.Length * 8; bit++)
        {
            var given = (byte[])secret.Clone();
            given[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SecretComparison.FixedTimeEquals(given, secret), $"bit {bit} flipped was accepted");
        }
    }
}
