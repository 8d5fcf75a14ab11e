using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests;

/// <summary>Reading a function's logs in tests.</summary>
internal static class TestLogs
{
    public static async Task<List<LogMessage>> ReadAllAsync(IFunctionProvider provider, string name)
    {
        var messages = new List<LogMessage>();
        await foreach (var message in provider.GetLogsAsync(new LogRequest(name, ""), CancellationToken.None))
        {
            messages.Add(message);
        }

        return messages;
    }

    public static async Task WaitForLineAsync(IFunctionProvider provider, string name, string text)
    {
        var found = await Faas.Harness.ProcessTable.EventuallyAsync(
            async () => (await ReadAllAsync(provider, name)).Any(m => m.Text.Contains(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        Assert.True(found, $"no log line of {name} contains '{text}'");
    }
}
