using Faas.Gateway;

// Listens on http://127.0.0.1:8080 unless --urls or ASPNETCORE_URLS says otherwise.
// Exit codes: 0 after a clean stop, 1 when the gateway cannot start (its port is taken, no Docker Engine answers),
// 2 when its configuration names something that does not exist or cannot work.
if (!args.Any(arg => arg.StartsWith("--urls", StringComparison.Ordinal)) && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
{
    args = [.. args, "--urls", "http://127.0.0.1:8080"];
}

// A descriptor the gateway's parent left inheritable would otherwise pass through every replica's sandbox to its function.
if (Faas.Posix.InheritedDescriptors.KeepFromChildren() is { } notKept)
{
    Console.Error.WriteLine($"gateway: warning: descriptors inherited from the parent may reach functions: {notKept}");
}

// Invocations only move bytes between sockets: their completions run on the socket threads (set before any socket
// exists). Every invocation also passes a watchdog and a function, so the gateway keeps to half the cores: on 2 cores one
// epoll thread gathers more events per wake-up than two: the full path 0.23x direct, not 0.18x (bench/results/gateway.md).
Faas.Proxy.InlineSocketCompletions.Enable(threads: Math.Max(1, Environment.ProcessorCount / 2));

// Before the host starts the thread pool, so every thread inherits the policy (GatewayOptions.SchedBatch); replicas
// are started with the policy the gateway was started with.
var schedBatch = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()["Gateway:SchedBatch"];
if (schedBatch is null || (bool.TryParse(schedBatch, out var enabled) && enabled))
{
    Faas.Posix.BatchScheduling.TryEnable();
}

WebApplication created;
try
{
    created = await GatewayApp.CreateAsync(args);
}
catch (Exception error) when (error is ArgumentException or (InvalidOperationException and { InnerException: FormatException }))
{
    // A setting out of range, or one the configuration binder cannot convert; its own words name the setting and the
    // value, such as "Failed to convert configuration value 'maybe' at 'Gateway:SchedBatch' to type 'System.Boolean'."
    Console.Error.WriteLine($"gateway: {error.Message}");
    return 2;
}
catch (Faas.Provider.ProviderStartException error)
{
    // The backend could not start: its settings (exit 2) or what it runs replicas on (exit 1).
    Console.Error.WriteLine($"gateway: {(error.ExitCode == 2 ? "" : "cannot start: ")}{error.Message}");
    return error.ExitCode;
}

await using var app = created;
try
{
    await app.RunAsync();
    return 0;
}
catch (IOException error)
{
    // Its port taken, or later its state directory gone: said apart, as the second is no start-up problem.
    Console.Error.WriteLine($"gateway: {(app.Lifetime.ApplicationStarted.IsCancellationRequested ? "failed" : "cannot start")}: {error.Message}");
    return 1;
}
