using System.Diagnostics;

namespace Faas.Harness;

/// <summary>One shared client for tests (loopback only), and polling helpers.</summary>
public static class TestHttp
{
    /// <summary>
    /// Keeps no cookies: shared by every test, it would otherwise send one test's cookies (a dashboard session: cookies
    /// ignore ports) to every gateway on 127.0.0.1. A test that needs a cookie sends the header itself.
    /// </summary>
    public static HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(100),
    };

    /// <summary>Polls <paramref name="url"/> until it answers 200, or fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForOkAsync(string url, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await Client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{url} did not answer 200 within {timeout}. {diagnostics?.Invoke()}");
    }
}
