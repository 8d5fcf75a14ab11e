using Microsoft.Playwright;

namespace Faas.Harness.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>FAAS_CHROMIUM</c>) started headless by Playwright, for tests and
/// benchmarks alike. Playwright never downloads a browser here. The flags keep Chromium from calling Google's services
/// (this machine's network is closed, and traffic must stay on loopback) and put shared memory in /tmp, as CI
/// containers often have a small /dev/shm.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("FAAS_CHROMIUM") ?? "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: make test and make bench install Debian's chromium (or set FAAS_CHROMIUM)");
        }

        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--no-proxy-server", "--disable-dev-shm-usage"],
        });
    }
}
