using System.Text.RegularExpressions;
using Faas.Gateway.Calls;
using Faas.Gateway.Invoke;

namespace Faas.Gateway.Tests.Invoke;

public class CallIdTests
{
    [Fact]
    public void New_call_ids_are_distinct_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => CallId.New()).ToList();

        Assert.All(ids, id => Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
