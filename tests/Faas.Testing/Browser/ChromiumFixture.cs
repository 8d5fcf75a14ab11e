using Microsoft.Playwright;
using Xunit;

namespace Faas.Testing.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>FAAS_CHROMIUM</c>) driven by Playwright, headless, started once
/// per test class. Playwright never downloads a browser here. The flags keep Chromium from calling Google's services:
/// this machine's network is closed, and a test must only talk to loopback. Shared memory goes to /tmp, as CI
/// containers often have a small /dev/shm.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("FAAS_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: kept after the run as test artefacts (<c>out/test-artifacts/</c>).</summary>
    public static string ArtifactDirectory { get; } = Directory.CreateDirectory(Path.Combine(Faas.Harness.RepoPaths.Root, "out", "test-artifacts")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: make test installs Debian's chromium (or set FAAS_CHROMIUM)");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--no-proxy-server", "--disable-dev-shm-usage"],
        });
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
