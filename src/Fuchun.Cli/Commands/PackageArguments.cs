using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;

namespace Fuchun.Cli.Commands;

/// <summary>What the commands that read a project package share: the argument, <c>--json</c>, and reading it.</summary>
internal static class PackageArguments
{
    public static JsonSerializerOptions Json { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Argument<FileSystemInfo> Package() => new("PACKAGE") { Description = "项目包：含 project.json 的文件夹，或 .gpkg 文件" };

    public static Option<bool> JsonOption() => new("--json") { Description = "输出 JSON（字段见项目包规范）" };

    /// <summary>
    /// Reads the package and turns it into what a command needs; on unreadable input writes every problem (at most
    /// 50) to <paramref name="error"/> and returns null, for exit code 2.
    /// </summary>
    public static T? Read<T>(string path, TextWriter error, Func<Domain.Packages.ProjectPackage, T> use)
        where T : class
    {
        try
        {
            return use(Domain.Packages.PackageReader.Read(path));
        }
        catch (LayerImportRejectedException ex)
        {
            foreach (var p in ex.Problems.Take(50))
            {
                error.WriteLine(p);
            }
        }
        catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException)
        {
            error.WriteLine(ex.Message);
        }

        return null;
    }
}
