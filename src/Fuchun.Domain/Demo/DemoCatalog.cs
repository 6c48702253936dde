using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Spatial.Area;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Demo;

/// <summary>A demo project: its facts, stage, geometry and layers.</summary>
public sealed record DemoProject(
    ProjectDetails Details,
    ProjectStage Stage,
    MultiPolygon ProjectArea,
    IReadOnlyList<ZoneInput> Zones,
    IReadOnlyDictionary<LayerKind, IReadOnlyList<Parcel>> ParcelLayers,
    IReadOnlyDictionary<LayerKind, IReadOnlyList<ReferenceFeature>> ReferenceLayers,
    string? StatedFactsJson = null);

/// <summary>The demo city: real districts, real township names and codes with synthetic shapes, demo projects.</summary>
public sealed record DemoCity(IReadOnlyList<District> Districts, IReadOnlyList<Township> Townships, IReadOnlyList<DemoProject> Projects);

/// <summary>
/// A realistic, deterministic Hangzhou for the demo and for tests: the 13 districts with their CGCS2000
/// boundaries, the 191 townships (shapes synthetic), and 20 consolidation projects in 10 districts, 8 of them
/// cross-township pilots, spread over the lifecycle.
/// </summary>
public static class DemoCatalog
{
    /// <summary>The seed the platform's demo uses.</summary>
    public const int DefaultSeed = 2023;

    private sealed record Plan(string District, bool Pilot, Terrain Terrain);

    private static readonly Plan[] Plans =
    [
        new("330111", true, Terrain.Hilly), new("330111", true, Terrain.Hilly), new("330111", false, Terrain.Hilly),
        new("330112", true, Terrain.Mountainous), new("330112", false, Terrain.Mountainous),
        new("330122", true, Terrain.Mountainous), new("330122", false, Terrain.Hilly),
        new("330127", true, Terrain.Mountainous), new("330127", false, Terrain.Mountainous),
        new("330182", true, Terrain.Mountainous), new("330182", false, Terrain.Hilly),
        new("330109", true, Terrain.Plain), new("330109", false, Terrain.Plain), new("330109", false, Terrain.Plain),
        new("330110", true, Terrain.Plain), new("330110", false, Terrain.Hilly),
        new("330113", false, Terrain.Plain), new("330113", false, Terrain.Plain),
        new("330114", false, Terrain.Plain),
        new("330106", false, Terrain.Hilly),
    ];

    private static readonly InvestmentMode[] Modes = Enum.GetValues<InvestmentMode>();

    /// <summary>The 191 townships with synthetic shapes only (no projects).</summary>
    public static IReadOnlyList<Township> BuildTownships(int seed = DefaultSeed) =>
        [.. BuildTownships(HangzhouReferenceData.CreateDistricts(), seed).Values.SelectMany(r => r.Townships)];

    private static Dictionary<string, SyntheticTownships.Result> BuildTownships(IReadOnlyList<District> districts, int seed)
    {
        var townshipsByDistrict = new Dictionary<string, SyntheticTownships.Result>();
        foreach (var d in districts)
        {
            var listings = HangzhouReferenceData.Townships.Where(t => t.DistrictCode == d.Code).ToList();
            townshipsByDistrict[d.Code] = SyntheticTownships.Build(d, listings, seed + int.Parse(d.Code, System.Globalization.CultureInfo.InvariantCulture));
        }

        return townshipsByDistrict;
    }

    public static DemoCity Build(int seed = DefaultSeed)
    {
        var districts = HangzhouReferenceData.CreateDistricts();
        var townshipsByDistrict = BuildTownships(districts, seed);

        // Pick every project's centre first (sequentially, so the choice is deterministic), then generate in parallel.
        var used = new Dictionary<string, HashSet<int>>();
        var specs = new List<(int Index, Plan Plan, Coordinate Centre, double Radius, IReadOnlyList<Township> Townships)>();
        var pickRandom = new Random(seed);
        for (var i = 0; i < Plans.Length; i++)
        {
            var plan = Plans[i];
            var result = townshipsByDistrict[plan.District];
            var taken = used.TryGetValue(plan.District, out var set) ? set : used[plan.District] = [];
            var seeds = result.SeedsLonLat;
            var a = Enumerable.Range(0, seeds.Count).Where(k => !taken.Contains(k)).OrderBy(_ => pickRandom.Next()).First();
            taken.Add(a);
            Coordinate centre;
            if (plan.Pilot)
            {
                // Between a township's seed and its nearest free neighbour: on their shared Voronoi edge.
                var b = Enumerable.Range(0, seeds.Count).Where(k => k != a && !taken.Contains(k))
                    .OrderBy(k => seeds[k].Distance(seeds[a])).First();
                taken.Add(b);
                centre = new Coordinate((seeds[a].X + seeds[b].X) / 2, (seeds[a].Y + seeds[b].Y) / 2);
            }
            else
            {
                centre = seeds[a];
            }

            var radius = plan.Pilot ? 1100 + (pickRandom.NextDouble() * 400) : 650 + (pickRandom.NextDouble() * 400);
            specs.Add((i, plan, centre, radius, result.Townships));
        }

        var projects = new DemoProject[specs.Count];
        Parallel.ForEach(specs, spec =>
        {
            var district = districts.First(d => d.Code == spec.Plan.District);
            var output = DemoLandscape.Generate(seed * 1000 + spec.Index, spec.Centre, spec.Radius, spec.Plan.Terrain, district, spec.Townships);
            projects[spec.Index] = Describe(spec.Index, spec.Plan, district, spec.Townships, output);
        });

        return new DemoCity(districts, [.. townshipsByDistrict.Values.SelectMany(r => r.Townships)], projects);
    }

    private static DemoProject Describe(int index, Plan plan, District district, IReadOnlyList<Township> townships, DemoLandscape.Output output)
    {
        var areaM2 = EllipsoidalArea.OfGeometry(output.ProjectArea);
        // Townships whose land makes up at least 1 % of the project area (R14's reading).
        var spanned = townships
            .Select(t => (t, Share: EllipsoidalArea.OfGeometry(t.Shape!.Intersection(output.ProjectArea)) / areaM2))
            .Where(x => x.Share >= 0.01)
            .OrderByDescending(x => x.Share)
            .Select(x => x.t)
            .ToList();
        var year = 2023 + (index % 3);
        var stage = (ProjectStage)((index * 3) % 8);
        var approved = stage >= ProjectStage.Approval ? new DateOnly(year, 3 + (index % 9), 1 + (index % 27)) : (DateOnly?)null;
        var shortName = string.Join("—", spanned.Take(plan.Pilot ? 2 : 1).Select(t => ShortName(t.Name)));
        var name = plan.Pilot
            ? $"{district.Name}{shortName}跨乡镇土地综合整治试点项目"
            : $"{district.Name}{shortName}土地综合整治项目";
        var details = new ProjectDetails
        {
            Code = $"{district.Code}-{year}-{index + 1:000}",
            Name = name,
            DistrictCode = district.Code,
            TownshipCodes = [.. spanned.Select(t => t.Code)],
            IsPilot = plan.Pilot,
            ApprovedOn = approved,
            PlannedStart = approved?.AddMonths(3),
            PlannedCompletion = approved?.AddYears(plan.Pilot ? 3 : 2),
            InvestmentMode = Modes[index % Modes.Length],
            FundingSources = index % 2 == 0
                ? [FundingSource.City, FundingSource.District, FundingSource.SpecialBonds]
                : [FundingSource.Provincial, FundingSource.District, FundingSource.SocialCapital, FundingSource.QuotaTradeIncome],
            PlannedInvestmentWanYuan = decimal.Round((decimal)(AreaUnits.ToMu(areaM2) * (0.35 + (index % 5 * 0.1))), 1),
        };
        var parcelLayers = new Dictionary<LayerKind, IReadOnlyList<Parcel>>
        {
            [LayerKind.ParcelsBefore] = output.Before,
            [LayerKind.ParcelsAfter] = output.After,
        };
        var referenceLayers = new Dictionary<LayerKind, IReadOnlyList<ReferenceFeature>>
        {
            [LayerKind.DevelopmentBoundary] = output.DevelopmentBoundary,
            [LayerKind.EcoRedLine] = output.EcoRedLine,
            [LayerKind.IndustrialParks] = output.IndustrialParks,
        };
        return new DemoProject(details, stage, output.ProjectArea, output.Zones, parcelLayers, referenceLayers);
    }

    private static string ShortName(string name) =>
        name.EndsWith("街道", StringComparison.Ordinal) ? name[..^2]
        : name.EndsWith('镇') || name.EndsWith('乡') ? name[..^1]
        : name;
}
