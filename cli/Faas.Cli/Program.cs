using Faas.Cli;

return await CliApp.RunAsync(args);
