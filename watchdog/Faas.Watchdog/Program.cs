using System.Collections;
using Faas.Watchdog.Config;
using Faas.Watchdog.Server;

// Exit codes: 0 after a graceful stop, 1 when the function process died (http mode), 2 for bad configuration.
if (args is ["-version" or "--version"])
{
    Console.WriteLine($"watchdog {Faas.Conventions.BuildVersion.Of(typeof(WatchdogHost).Assembly)}");
    return 0;
}

// A descriptor the watchdog's parent left inheritable would otherwise pass to the function with every start.
if (Faas.Posix.InheritedDescriptors.KeepFromChildren() is { } notKept)
{
    Console.Error.WriteLine($"watchdog: warning: descriptors inherited from the parent may reach the function: {notKept}");
}

var environment = Environment.GetEnvironmentVariables()
    .Cast<DictionaryEntry>()
    .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? string.Empty, StringComparer.Ordinal);

var standby = environment.GetValueOrDefault(Standby.Variable) == "1";
try
{
    RunAs.Apply(environment);

    // Read at once, on this thread (the thread pool is not started yet): the function's variables include sched_batch.
    if (!standby && Assignment.IsOnStdin(environment) && !Assignment.Apply(Assignment.ReadFirstLine(), environment))
    {
        return 0;
    }
}
catch (ConfigException error)
{
    return ConfigurationError(error);
}

// Before the runtime starts its thread pool, so every thread inherits the policy (a bad value is reported below). A
// standby keeps the policy of its launch environment: the local backend gives a function that sets sched_batch a
// watchdog of its own.
if (environment.GetValueOrDefault("sched_batch") is not ("false" or "0"))
{
    Faas.Posix.BatchScheduling.TryEnable();
}

// Held to the end: a stop signal that comes while a standby is being assigned is kept for the server.
using var lifetime = new Lifetime();

// Functions start with SIGPIPE's default action, not the runtime's ignored one. After Lifetime, which must see how
// SIGINT was left before .NET's first signal registration does.
using var brokenPipes = Faas.Posix.BrokenPipeSignal.HandleInsteadOfIgnoring();

WatchdogConfig config;
try
{
    if (standby && !await Standby.WaitForAssignmentAsync(environment, lifetime))
    {
        return 0;
    }

    config = WatchdogConfigParser.Parse(environment);
}
catch (ConfigException error)
{
    return ConfigurationError(error);
}

if (args is ["-run-healthcheck" or "--run-healthcheck"])
{
    // For exec probes and Docker HEALTHCHECK: healthy while the lock file exists.
    return File.Exists(config.LockFilePath) ? 0 : 1;
}

if (args.Length > 0)
{
    Console.Error.WriteLine($"watchdog: unknown argument \"{args[0]}\": expected -version or -run-healthcheck; configuration comes from environment variables");
    return 2;
}

// After a standby's assignment, which is read from the same stdin.
if (environment.GetValueOrDefault(Lifeline.Variable) == "1")
{
    Lifeline.Watch(lifetime);
}

// http mode only moves bytes between sockets; the fork modes start processes, which blocks briefly.
if (config.Mode == WatchdogMode.Http)
{
    Faas.Proxy.InlineSocketCompletions.Enable();
}

try
{
    return await new WatchdogHost(config, lifetime).RunAsync();
}
catch (ConfigException error)
{
    // A port that is taken, an address that is not this machine's: found only when listening.
    return ConfigurationError(error);
}

static int ConfigurationError(ConfigException error)
{
    Console.Error.WriteLine($"watchdog: {error.Message}");
    return 2;
}
