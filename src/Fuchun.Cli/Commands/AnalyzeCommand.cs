using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fuchun.Domain.Analysis;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;

namespace Fuchun.Cli.Commands;

/// <summary>
/// <c>fuchun analyze PACKAGE --json</c>: land-use accounts, the transfer matrix and the contiguous blocks of a project
/// package, as the CLI contract in <c>project-package.md</c> says; a readable summary without <c>--json</c>.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Build()
    {
        var package = PackageArguments.Package();
        var json = PackageArguments.JsonOption();
        var gap = new Option<double>("--gap-tolerance") { Description = "集中连片判定时可跨越的缝隙宽度（米），默认 0" };
        var chain = new Option<bool>("--chain-connectors") { Description = "线状地类（农村道路、沟渠、田坎）之间也相互连通（默认只连通其两侧图斑）" };
        var ids = new Option<bool>("--parcel-ids") { Description = "JSON 中列出每个连片的图斑编号" };
        var tiers = new Option<string?>("--tiers") { Description = "连片分级门槛（亩），从大到小，如 10000,1000,100（万亩方、千亩方、百亩方）" };
        var connectors = new Option<string?>("--connectors") { Description = "连通两侧图斑的线状地类编码，如 1006,1107,1203（默认按地类表）" };
        var repair = PackageArguments.RepairOption();
        var blocksOut = new Option<DirectoryInfo?>("--blocks-out") { Description = "把四类连片范围写成 GeoJSON（pbf_before.geojson 等）到此目录" };
        var command = new Command("analyze", "分析研判：整治前后地类面积、地类转移矩阵、\"百千万\"集中连片、开天窗与碎片化、耕地破碎度") { package, json, gap, chain, ids, tiers, connectors, blocksOut, repair };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (PackageArguments.Read(parse.GetValue(package)!.FullName, error, p => p, parse.GetValue(repair)) is not { } read)
            {
                return Task.FromResult(AreaCommand.UnreadableInput);
            }

            ContiguityOptions options;
            try
            {
                options = Options(parse.GetValue(gap), parse.GetValue(chain), parse.GetValue(tiers), parse.GetValue(connectors));
            }
            catch (FormatException ex)
            {
                error.WriteLine(ex.Message);
                return Task.FromResult(1);
            }

            var input = read.ToAnalysisInput();
            var result = ProjectAnalysis.Run(input, options);
            if (parse.GetValue(blocksOut) is { } folder)
            {
                folder.Create();
                foreach (var set in ProjectAnalysis.BlockSets)
                {
                    var collection = new FeatureCollection();
                    foreach (var b in ProjectAnalysis.BlockSet(input, set, options, withGeometry: true))
                    {
                        collection.Add(new Feature(b.Geometry, new AttributesTable { { "tier", b.Tier }, { "area_m2", Math.Round(b.AreaM2, 4) }, { "parcels", b.ParcelIds.Count } }));
                    }

                    File.WriteAllText(Path.Combine(folder.FullName, set + ".geojson"), JsonSerializer.Serialize(collection, GeoJsonGeometryReader.SerializerOptions));
                }
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(AnalysisJson.Write(result, parse.GetValue(ids)).ToJsonString(PackageArguments.Json));
            }
            else
            {
                WriteTable(output, result);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The contiguity reading from the command line: defaults unless a flag says otherwise.</summary>
    private static ContiguityOptions Options(double gap, bool chain, string? tiers, string? connectors)
    {
        var options = ContiguityOptions.Default with { GapToleranceM = gap, ChainConnectors = chain };
        if (tiers is not null)
        {
            var values = tiers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new FormatException($"--tiers：{t} 不是正数"))
                .ToArray();
            var names = new[] { "万亩方", "千亩方", "百亩方" };
            if (values.Length != names.Length)
            {
                throw new FormatException($"--tiers：应给出 {names.Length} 个门槛（万亩方、千亩方、百亩方），得到 {values.Length} 个");
            }

            options = options with { Tiers = [.. names.Zip(values, (n, v) => new BlockTier(n, v))] };
        }

        if (connectors is not null)
        {
            var codes = connectors.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (codes.FirstOrDefault(c => !Domain.LandClasses.LandClassCatalog.TryGet(c, out _)) is { } unknown)
            {
                throw new FormatException($"--connectors：未知地类编码 {unknown}");
            }

            options = options with { ConnectorClasses = codes.ToHashSet(StringComparer.Ordinal) };
        }

        return options;
    }

    private static string Mu(double m2) => AreaUnits.ToMu(m2).ToString("#,0.00", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter o, AnalysisResult r)
    {
        var a = r.ProjectAccount;
        o.WriteLine($"项目 {r.Project}：项目区 {Mu(a.ScopeAreaM2)} 亩");
        o.WriteLine();
        o.WriteLine("地类\t名称\t整治前（亩）\t整治后（亩）\t变化（亩）");
        var codes = a.Before.Classes.Select(c => c.Code).Union(a.After.Classes.Select(c => c.Code)).Order(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            var before = a.Before.Classes.FirstOrDefault(c => c.Code == code);
            var after = a.After.Classes.FirstOrDefault(c => c.Code == code);
            var name = (before ?? after)!.Name;
            o.WriteLine($"{code}\t{name}\t{Mu(before?.AreaM2 ?? 0)}\t{Mu(after?.AreaM2 ?? 0)}\t{Mu((after?.AreaM2 ?? 0) - (before?.AreaM2 ?? 0))}");
        }

        o.WriteLine();
        foreach (var c in r.Transfer.Changes)
        {
            o.WriteLine($"{c.Group}：增加 {Mu(c.GainM2)} 亩，减少 {Mu(c.LossM2)} 亩，净变化 {Mu(c.NetM2)} 亩");
        }

        o.WriteLine();
        foreach (var (set, label) in new[] { (ProjectAnalysis.PbfBefore, "整治前永久基本农田"), (ProjectAnalysis.PbfAfter, "整治后永久基本农田"), (ProjectAnalysis.FarmlandBefore, "整治前耕地"), (ProjectAnalysis.FarmlandAfter, "整治后耕地") })
        {
            var blocks = r.Blocks[set];
            var tiers = string.Join("，", blocks.Where(b => b.Tier != ContiguityOptions.NoTier).GroupBy(b => b.Tier).Select(g => $"{g.Key} {g.Count()} 个"));
            o.WriteLine($"{label}连片：{blocks.Count} 个，最大 {Mu(blocks.Count == 0 ? 0 : blocks[0].AreaM2)} 亩{(tiers.Length > 0 ? "；" + tiers : "；无百亩以上连片")}");
        }

        o.WriteLine();
        foreach (var (label, f) in new[] { ("整治前", r.FragmentationBefore), ("整治后", r.FragmentationAfter) })
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}耕地：{f.Patches} 个连片，平均 {Mu(f.MeanPatchM2)} 亩，最大 {Mu(f.LargestPatchM2)} 亩，百亩以上连片占 {f.ShareInBlocksOf100Mu * 100:0.0}%，5 亩以下零星地块 {f.ScatteredPatchesUnder5Mu} 处"));
        }

        var findings = r.PbfFindings.GroupBy(f => (f.Layer, f.Kind)).Select(g =>
            $"{(g.Key.Layer == "parcels_before" ? "整治前" : "整治后")}{g.Key.Kind switch { PbfFindingKind.Enclave => "开发边界内（开天窗）", PbfFindingKind.Fragment => "开发边界内碎片化", _ => "触及生态保护红线" }} {g.Count()} 处");
        o.WriteLine($"永久基本农田布局调整候选：{string.Join("；", findings.DefaultIfEmpty("无"))}");
    }
}
