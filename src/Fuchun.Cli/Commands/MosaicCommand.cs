using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fuchun.Domain.Mosaic;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun mosaic --parcels N --out DIR</c>: a generated 三调 parcel mosaic for tests and benchmarks.</summary>
internal static class MosaicCommand
{
    private static readonly string[] AllFormats = ["gpkg", "shp", "geojson"];

    public static Command Build()
    {
        var parcels = new Option<int>("--parcels", "-n") { Description = "大约生成多少个图斑（如 10000、100000、1000000）", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "随机种子（同一种子得到同样的图斑）", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "输出目录", Required = true };
        var formats = new Option<string[]>("--format") { Description = "输出格式：gpkg、shp（GBK 属性表）、geojson；可多次给出，默认三种都写", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => AllFormats };
        var order = new Option<string>("--order") { Description = "行序：sorted（按地块排列）、shuffled（随机打乱）或 both", DefaultValueFactory = _ => "both" };
        var after = new Option<bool>("--after") { Description = "同时写出整治后（规划）图层 after.*" };
        var command = new Command("mosaic", "生成确定性的模拟三调地类图斑镶嵌（CGCS2000 3 度带第 40 带，EPSG:4528）：before.*、整治区 zones.geojson，可选 after.*") { parcels, seed, output, formats, order, after };
        command.SetAction((parse, _) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var chosen = parse.GetValue(formats)!.SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(f => f.ToLowerInvariant()).Distinct().ToList();
            if (chosen.FirstOrDefault(f => !AllFormats.Contains(f)) is { } bad)
            {
                error.WriteLine($"--format: 不认识的格式“{bad}”（可用 gpkg、shp、geojson）");
                return Task.FromResult(1);
            }

            var orders = parse.GetValue(order) switch
            {
                "sorted" => [MosaicOrder.Sorted],
                "shuffled" => [MosaicOrder.Shuffled],
                "both" => new[] { MosaicOrder.Sorted, MosaicOrder.Shuffled },
                var other => null,
            };
            if (orders is null)
            {
                error.WriteLine($"--order: “{parse.GetValue(order)}” 应为 sorted、shuffled 或 both");
                return Task.FromResult(1);
            }

            var stopwatch = Stopwatch.StartNew();
            var directory = parse.GetValue(output)!;
            directory.Create();
            var generator = new MosaicGenerator(parse.GetValue(parcels), parse.GetValue(seed));
            var count = generator.Before().LongCount();
            var layers = parse.GetValue(after) ? new[] { ("before", false), ("after", true) } : [("before", false)];
            foreach (var (name, isAfter) in layers)
            {
                foreach (var o in orders)
                {
                    foreach (var format in chosen)
                    {
                        var file = Path.Combine(directory.FullName, $"{name}{(o == MosaicOrder.Shuffled ? "-shuffled" : "")}.{format}");
                        using (var bar = ProgressBar.Start(error, Path.GetFileName(file), isAfter ? 0 : count))
                        {
                            MosaicFiles.Write(file, isAfter ? generator.After() : generator.Before(), o, parse.GetValue(seed), bar.Step);
                        }

                        parse.InvocationConfiguration.Output.WriteLine(file);
                    }
                }
            }

            var zones = Path.Combine(directory.FullName, "zones.geojson");
            MosaicFiles.WriteZones(zones, generator);
            parse.InvocationConfiguration.Output.WriteLine(zones);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"已生成 {count} 个图斑（种子 {parse.GetValue(seed)}，{stopwatch.Elapsed.TotalSeconds:0.0} 秒）"));
            return Task.FromResult(0);
        });
        return command;
    }
}
