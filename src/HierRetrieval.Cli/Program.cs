using HierRetrieval.Cli.Commands;
using HierRetrieval.Cli.Terminal;

GlibcAllocator.KeepLargeBlocks();
return HierretCommand.Create().Parse(args).Invoke();
