using Faas.Cli;

// Build commands start with SIGPIPE's default action, as under a shell, not the runtime's ignored one.
using var brokenPipes = Faas.Posix.BrokenPipeSignal.HandleInsteadOfIgnoring();

return await CliApp.RunAsync(args);
