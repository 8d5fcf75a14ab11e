using Faas.Harness.Browser;
using Microsoft.Playwright;
using Xunit;

namespace Faas.Testing.Browser;

/// <summary>Debian's Chromium (<see cref="Chromium"/>), started once per test class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: kept after the run as test artefacts (<c>out/test-artifacts/</c>).</summary>
    public static string ArtifactDirectory { get; } = Directory.CreateDirectory(Path.Combine(Faas.Harness.RepoPaths.Root, "out", "test-artifacts")).FullName;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
