using System.Text;

namespace Faas.Proxy.Tests;

public class HopByHopHeadersTests
{
    [Fact]
    public void A_field_name_as_bytes_is_hop_by_hop_exactly_when_its_string_is_in_any_case()
    {
        string[] others = ["Content-Length", "Content-Type", "Date", "Host", "X-Connection", "Connectio", "Keep-Alive2", "TEE", "T", ""];
        foreach (var name in HopByHopHeaders.All.Concat(others))
        {
            foreach (var spelling in new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant() })
            {
                Assert.True(HopByHopHeaders.Contains(spelling) == HopByHopHeaders.Contains(Encoding.ASCII.GetBytes(spelling)), spelling);
            }
        }

        Assert.All(HopByHopHeaders.All, name => Assert.True(HopByHopHeaders.Contains(Encoding.ASCII.GetBytes(name)), name));
        Assert.All(others, name => Assert.False(HopByHopHeaders.Contains(Encoding.ASCII.GetBytes(name)), name));
    }
}
