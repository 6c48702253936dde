using System.CommandLine;
using System.Globalization;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Projects;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Packages;
using Fuchun.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary>
/// <c>fuchun package import PACKAGE</c> and <c>fuchun package export CODE --out PATH</c>: a project in and out as a
/// project package, in either form (folder, or <c>.gpkg</c>).
/// </summary>
internal static class PackageCommands
{
    public static Command Build()
    {
        var command = new Command("package", "项目包：导入为登记项目（整体成功或不写入任何数据），或把项目导出为项目包（文件夹或 GeoPackage）");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Option<bool> AsBuilt(string description) => new("--as-built") { Description = description };

    private static Command Import()
    {
        var database = CommonOptions.Database();
        var package = PackageArguments.Package();
        var asBuilt = AsBuilt("项目包的 parcels_after 是验收时的竣工测量成果：存为竣工图层（parcels_as_built），而不是规划图层");
        var repair = PackageArguments.RepairOption();
        var command = new Command("import", "检查并导入项目包：新项目登记为储备阶段，已登记的项目（同 id）更新其信息、范围、图层和声明事项；有任何问题则不写入") { database, package, asBuilt, repair };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(package)!.FullName;
            var read = PackageArguments.Read(path, error, p => p, parse.GetValue(repair));
            if (read is null)
            {
                return AreaCommand.UnreadableInput;
            }

            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                try
                {
                    var afterKind = parse.GetValue(asBuilt) ? LayerKind.ParcelsAsBuilt : LayerKind.ParcelsAfter;
                    var project = await scope.ServiceProvider.GetRequiredService<PackageImporter>().ImportAsync(read, CommonOptions.Actor, afterKind, ct);
                    parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"已导入项目包到 {project.Code}（{project.Name}，{ProjectRegistry.StageName(project.Stage)}）：整治前 {read.Before.Count} 个图斑，{afterKind.PackageName()} {read.After.Count} 个图斑"));
                    return 0;
                }
                catch (LayerImportRejectedException ex)
                {
                    foreach (var p in ex.Problems.Take(50))
                    {
                        error.WriteLine(p);
                    }

                    return AreaCommand.UnreadableInput;
                }
                catch (DomainValidationException ex)
                {
                    foreach (var e in ex.Errors)
                    {
                        error.WriteLine($"{Path.Combine(path, "project.json")}：{e.Field}：{e.Message}");
                    }

                    return AreaCommand.UnreadableInput;
                }
            }
        });
        return command;
    }

    private static Command Export()
    {
        var database = CommonOptions.Database();
        var code = new Argument<string>("CODE") { Description = "项目编号" };
        var output = new Option<string>("--out", "-o") { Description = "输出：以 .gpkg 结尾写成一个 GeoPackage，否则写成文件夹（project.json 和各图层 GeoJSON）", Required = true };
        var asBuilt = AsBuilt("把竣工图层（parcels_as_built）写作 parcels_after（验收用）；默认写规划图层");
        var command = new Command("export", "把登记的项目导出为项目包：project.json、项目区、整治区、整治前后地类图斑和已有的参考图层（CGCS2000 经纬度）") { database, code, output, asBuilt };
        command.SetAction(async (parse, ct) =>
        {
            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                try
                {
                    var afterKind = parse.GetValue(asBuilt) ? LayerKind.ParcelsAsBuilt : LayerKind.ParcelsAfter;
                    var files = await scope.ServiceProvider.GetRequiredService<PackageExporter>()
                        .ExportAsync(parse.GetValue(code)!, Path.GetFullPath(parse.GetValue(output)!), afterKind, ct);
                    parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"已导出项目包 {parse.GetValue(code)}：{(PackageWriter.IsGeoPackage(parse.GetValue(output)!) ? files[0] : $"{files.Count} 个文件")}"));
                    return 0;
                }
                catch (ProjectNotFoundException ex)
                {
                    parse.InvocationConfiguration.Error.WriteLine(Domain.Resources.Messages.ProjectNotFound(ex.Code));
                    return 1;
                }
                catch (Exception ex) when (ex is PackageExportException or SpatialInputException or UnknownCoordinateSystemException)
                {
                    parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                    return 1;
                }
            }
        });
        return command;
    }
}
