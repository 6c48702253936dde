using System.CommandLine;
using System.Globalization;
using System.Text;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun validate FILE</c> and <c>fuchun import FILE --project CODE</c>: parcel layers as delivered.</summary>
internal static class ImportCommands
{
    private const int MaxListed = 50;

    private sealed record InputOptions(
        Argument<FileInfo> File, Option<string?> Layer, Option<int?> Crs, Option<string?> Encoding, Option<bool> Gcj02,
        Option<bool> Repair, Option<FileInfo?> PbfLayer, Option<FileInfo?> HsfLayer)
    {
        public IEnumerable<Symbol> All => [File, Layer, Crs, Encoding, Gcj02, Repair, PbfLayer, HsfLayer];
    }

    private static InputOptions Input() => new(
        new Argument<FileInfo>("FILE") { Description = "地类图斑文件：GeoJSON、Shapefile（.shp）或 GeoPackage" },
        new Option<string?>("--layer") { Description = "GeoPackage 中的要素表（只有一个时可省略）" },
        new Option<int?>("--crs") { Description = "文件未声明坐标系时指定 EPSG 代码" },
        new Option<string?>("--encoding") { Description = "Shapefile 属性表编码（GBK、GB18030、UTF-8）；默认按 .cpg、语言驱动字节或内容判断" },
        AreaCommand.Gcj02Option(),
        new Option<bool>("--repair") { Description = "修复可修复的几何错误（自相交、环的嵌套或方向），逐个报告修复内容与面积变化" },
        new Option<FileInfo?>("--pbf-layer") { Description = "永久基本农田图斑图层（如 YJJBNTTB）：图斑一半以上面积落在其中即标为永久基本农田，代替 PBF 字段" },
        new Option<FileInfo?>("--hsf-layer") { Description = "高标准农田图层：图斑一半以上面积落在其中即标为高标准农田，代替 HSF 字段" });

    private static ParcelImportOptions Options(ParseResult parse, InputOptions o) => new()
    {
        Repair = parse.GetValue(o.Repair),
        PbfLayer = parse.GetValue(o.PbfLayer) is { } pbf ? FlagOverlay.Read(pbf.FullName) : null,
        HighStandardLayer = parse.GetValue(o.HsfLayer) is { } hsf ? FlagOverlay.Read(hsf.FullName) : null,
    };

    private static void ReportRepairs(TextWriter output, ParcelImportOptions options)
    {
        foreach (var repair in options.Repairs.OrderBy(r => r.Feature))
        {
            output.WriteLine(repair);
        }
    }

    private static FeatureSource Open(ParseResult parse, InputOptions o)
    {
        var crs = parse.GetValue(o.Crs) is { } epsg ? CoordinateSystems.Get(epsg) : null;
        var encoding = parse.GetValue(o.Encoding) is { } name
            ? name.ToUpperInvariant() is "GBK" or "GB18030" or "GB2312" ? GeometryFiles.Gb18030 : Encoding.GetEncoding(name)
            : null;
        return GeometryFiles.OpenFeatures(parse.GetValue(o.File)!.FullName, parse.GetValue(o.Layer), crs, encoding, parse.GetValue(o.Gcj02));
    }

    private static void Report(TextWriter error, IReadOnlyList<ImportProblem> problems)
    {
        foreach (var p in problems.Take(MaxListed))
        {
            error.WriteLine(p);
        }

        if (problems.Count > MaxListed)
        {
            error.WriteLine(Domain.Resources.Messages.ImportMore(problems.Count - MaxListed));
        }
    }

    private static void Add(Command command, Symbol symbol)
    {
        if (symbol is Argument argument)
        {
            command.Arguments.Add(argument);
        }
        else
        {
            command.Options.Add((Option)symbol);
        }
    }

    public static Command Validate()
    {
        var o = Input();
        var command = new Command("validate", "检查地类图斑图层：几何有效、地类编码、必填字段、图斑互不重叠、无缝隙且公共边一致；不写入数据库");
        foreach (var symbol in o.All)
        {
            Add(command, symbol);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var source = Open(parse, o);
                var options = Options(parse, o);
                var (count, area) = (0L, 0.0);
                using (var bar = ProgressBar.Start(parse.InvocationConfiguration.Error, "检查", source.Count))
                {
                    await foreach (var batch in ParcelImport.ReadAsync(source, options, bar.Step, ct))
                    {
                        (count, area) = (count + batch.Count, area + batch.Sum(p => p.AreaM2));
                    }
                }

                ReportRepairs(parse.InvocationConfiguration.Output, options);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"检查通过：{count} 个图斑，合计 {area:0.00} m²"));
                return 0;
            }
            catch (LayerImportRejectedException ex)
            {
                Report(parse.InvocationConfiguration.Error, ex.Problems);
                return AreaCommand.UnreadableInput;
            }
            catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return AreaCommand.UnreadableInput;
            }
        });
        return command;
    }

    public static Command Export()
    {
        var database = CommonOptions.Database();
        var project = new Option<string>("--project") { Description = "项目编号", Required = true };
        var kind = new Option<string>("--kind") { Description = "图层：parcels_before、parcels_after 或 parcels_as_built", DefaultValueFactory = _ => "parcels_before" };
        var output = new Option<FileInfo>("--out", "-o") { Description = "输出文件：.geojson、.gpkg 或 .shp（CGCS2000 经纬度）", Required = true };
        var gbk = new Option<bool>("--gbk") { Description = "Shapefile 属性表用 GBK 编码（默认 UTF-8；两者都写 .cpg）" };
        var command = new Command("export", "导出项目的地类图斑图层（字段 DLBM、PBF、HSF、ZLDWDM、TBMJ 及导入时的其他字段）") { database, project, kind, output, gbk };
        command.SetAction(async (parse, ct) =>
        {
            if (LayerKinds.ParcelKindFromPackageName(parse.GetValue(kind)) is not { } layerKind)
            {
                parse.InvocationConfiguration.Error.WriteLine($"--kind: “{parse.GetValue(kind)}” 不是地类图斑图层");
                return 1;
            }

            var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
            await using (services)
            await using (scope)
            {
                try
                {
                    var file = parse.GetValue(output)!.FullName;
                    var count = await scope.ServiceProvider.GetRequiredService<LayerExporter>()
                        .ExportParcelsAsync(parse.GetValue(project)!, layerKind, file, parse.GetValue(gbk), ct);
                    parse.InvocationConfiguration.Output.WriteLine($"已导出 {count} 个图斑到 {file}");
                    return 0;
                }
                catch (Exception ex) when (ex is ProjectNotFoundException or InvalidOperationException or SpatialInputException)
                {
                    parse.InvocationConfiguration.Error.WriteLine(ex is ProjectNotFoundException nf ? Domain.Resources.Messages.ProjectNotFound(nf.Code) : ex.Message);
                    return 1;
                }
            }
        });
        return command;
    }

    public static Command Import()
    {
        var o = Input();
        var database = CommonOptions.Database();
        var project = new Option<string>("--project") { Description = "导入到的项目编号", Required = true };
        var kind = new Option<string>("--kind") { Description = "图层：parcels_before（整治前）、parcels_after（整治后规划）或 parcels_as_built（竣工）", DefaultValueFactory = _ => "parcels_before" };
        var command = new Command("import", "检查并导入地类图斑图层到项目（整体成功或不写入任何数据；同类图层整体替换）") { database, project, kind };
        foreach (var symbol in o.All)
        {
            Add(command, symbol);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (LayerKinds.ParcelKindFromPackageName(parse.GetValue(kind)) is not { } layerKind)
            {
                parse.InvocationConfiguration.Error.WriteLine($"--kind: “{parse.GetValue(kind)}” 不是地类图斑图层");
                return 1;
            }

            FeatureSource input;
            ParcelImportOptions options;
            try
            {
                input = Open(parse, o);
                options = Options(parse, o);
            }
            catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return AreaCommand.UnreadableInput;
            }

            Layer layer;
            try
            {
                using var bar = ProgressBar.Start(parse.InvocationConfiguration.Error, "导入", input.Count);
                // The file is read, converted and checked from here on, while the database is opened and the project
                // looked up: most of a second of one core in a fresh process, with the other idle until now.
                await using var parcels = ParcelImport.Start(input, options, bar.Step, ct);
                var (services, scope) = await CommonOptions.OpenAsync(parse.GetValue(database), ct);
                await using (services)
                await using (scope)
                {
                    layer = await scope.ServiceProvider.GetRequiredService<LayerImporter>()
                        .ImportParcelsAsync(parse.GetValue(project)!, layerKind, Path.GetFileName(input.Source), parcels, ct);
                }
            }
            catch (LayerImportRejectedException ex)
            {
                Report(parse.InvocationConfiguration.Error, ex.Problems);
                return AreaCommand.UnreadableInput;
            }
            catch (ProjectNotFoundException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine(Domain.Resources.Messages.ProjectNotFound(ex.Code));
                return 1;
            }
            catch (Domain.Projects.DomainValidationException ex)
            {
                foreach (var e in ex.Errors)
                {
                    parse.InvocationConfiguration.Error.WriteLine(e.Message);
                }

                return 1;
            }

            ReportRepairs(parse.InvocationConfiguration.Output, options);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"已导入 {layer.FeatureCount} 个图斑到 {parse.GetValue(project)} 的 {layerKind.PackageName()}（合计 {layer.AreaM2:0.00} m²）"));
            return 0;
        });
        return command;
    }
}
