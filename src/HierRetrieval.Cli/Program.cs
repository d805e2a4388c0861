using HierRetrieval.Cli.Commands;

return HierretCommand.Create().Parse(args).Invoke();
