using Faas.Gateway;

// Listens on http://127.0.0.1:8080 unless --urls or ASPNETCORE_URLS says otherwise.
// Exit codes: 0 after a clean stop, 1 when the gateway cannot start (for example its port is taken).
if (!args.Any(arg => arg.StartsWith("--urls", StringComparison.Ordinal)) && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
{
    args = [.. args, "--urls", "http://127.0.0.1:8080"];
}

await using var app = await GatewayApp.CreateAsync(args);
try
{
    await app.RunAsync();
    return 0;
}
catch (IOException error)
{
    Console.Error.WriteLine($"gateway: cannot start: {error.Message}");
    return 1;
}
