using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fuchun.Domain.Demo;
using Fuchun.Domain.Packages;

namespace Fuchun.Cli.Commands;

/// <summary><c>fuchun demo --out DIR</c>: the demo projects as project packages in folder form.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "输出目录：每个演示项目写成其中一个项目包文件夹", Required = true };
        var seed = new Option<int>("--seed") { Description = "生成演示数据的随机种子（同一种子得到同样的数据）", DefaultValueFactory = _ => DemoCatalog.DefaultSeed };
        var format = new Option<string>("--format") { Description = "项目包形式：folder（project.json 和各图层 GeoJSON）或 gpkg（单个 GeoPackage）", DefaultValueFactory = _ => "folder" };
        format.AcceptOnlyFromAmong("folder", "gpkg");
        var command = new Command("demo", "把演示城市的全部项目写成项目包（文件夹或 GeoPackage，CGCS2000 经纬度）") { output, seed, format };
        command.SetAction((parse, _) =>
        {
            var dir = parse.GetValue(output)!;
            var stopwatch = Stopwatch.StartNew();
            var city = DemoCatalog.Build(parse.GetValue(seed));
            foreach (var project in city.Projects)
            {
                var target = Path.Combine(dir.FullName, project.Details.Code + (parse.GetValue(format) == "gpkg" ? ".gpkg" : ""));
                var files = PackageWriter.Write(DemoPackages.ToPackage(project, city.Townships), target);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{project.Details.Code}\t{project.Details.Name}\t{files.Count} files"));
            }

            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"已写出 {city.Projects.Count} 个项目包到 {dir.FullName}（{stopwatch.Elapsed.TotalSeconds:0.0} 秒）"));
            return Task.FromResult(0);
        });
        return command;
    }
}
