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

    public static Option<bool> RepairOption() => new("--repair") { Description = "修复可修复的几何错误（自相交、环的嵌套或方向），逐个报告修复内容与面积变化（报告写到标准错误）" };

    /// <summary>
    /// Reads the package and turns it into what a command needs; on unreadable input writes every problem (at most
    /// 50) to <paramref name="error"/> and returns null, for exit code 2.
    /// </summary>
    public static T? Read<T>(string path, TextWriter error, Func<Domain.Packages.ProjectPackage, T> use, bool repair = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            // Geometry is repaired only when asked, and every repair is reported (project-package.md, "Bad input").
            var options = repair ? new ParcelImportOptions { Repair = true } : null;
            var package = Domain.Packages.PackageReader.Read(path, options);
            foreach (var r in (options?.Repairs ?? []).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Feature))
            {
                error.WriteLine(r);
            }

            return use(package);
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
