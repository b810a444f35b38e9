using Decoupled.Cli;

return await CliApp.RunAsync(args);
