using System.CommandLine;
using Fuchun.Cli.Commands;

namespace Fuchun.Cli;

/// <summary>
/// The <c>fuchun</c> command. Commands share the server's use cases and storage; every command has <c>--help</c>.
/// Exit codes: 0 done, 1 failed, 2 unreadable input (as the CLI contract in <c>project-package.md</c> says).
/// </summary>
public static class FuchunCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("富春：杭州市跨乡镇土地综合整治监管平台命令行工具 (Fuchun land consolidation supervision CLI)");
        root.Subcommands.Add(AreaCommand.Build());
        root.Subcommands.Add(ImportCommands.Validate());
        root.Subcommands.Add(AnalyzeCommand.Build());
        root.Subcommands.Add(CheckCommand.Build());
        root.Subcommands.Add(ImportCommands.Import());
        root.Subcommands.Add(ImportCommands.Export());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(MosaicCommand.Build());
        root.Subcommands.Add(DatabaseCommands.Build());
        root.Subcommands.Add(ProjectCommands.Build());
        root.Subcommands.Add(PackageCommands.Build());
        root.Subcommands.Add(AuditCommands.Build());
        root.Subcommands.Add(AccountCommands.Accounts());
        root.Subcommands.Add(AccountCommands.Tokens());
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
}
