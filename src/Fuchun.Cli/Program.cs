using Fuchun.Cli;

return await FuchunCli.RunAsync(args, Console.Out, Console.Error);
