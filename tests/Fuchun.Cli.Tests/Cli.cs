namespace Fuchun.Cli.Tests;

/// <summary>Runs the <c>fuchun</c> command in-process, as a shell would, and captures what it prints.</summary>
internal static class Cli
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await FuchunCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
