using System.Globalization;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Generation;
using NetTopologySuite.Densify;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Fuchun.Domain.Demo;

/// <summary>How hilly a district's countryside is: the share of a project area that is valley floor.</summary>
internal enum Terrain
{
    Plain,
    Hilly,
    Mountainous,
}

/// <summary>
/// Generates one demo project's geometry: a project area, zones and the layers before and after consolidation.
/// Land use follows the lie of the land: paddy on the valley floor, tea and dry land on the hill feet, forest
/// on the hills, villages strung along the roads, a town with an industrial park at one edge, farm roads and
/// ditches between the fields, a river in some. Everything is a function of the seed.
/// </summary>
internal sealed class DemoLandscape
{
    private const double ValleyParcelM2 = 1400;   // about 2.1 亩: farmland median 1–3 亩
    private const double HillParcelM2 = 3500;
    private const double MountainParcelM2 = 9000;

    private readonly Random random;
    private readonly LocalFrame frame;
    private readonly Terrain terrain;
    private readonly SmoothField elevationField;
    private readonly SmoothField useField;
    private readonly SmoothField qualityField;
    private readonly List<(Coordinate Centre, double Radius)> hills = [];
    private Quantiles elevationQuantiles = new([]);

    private DemoLandscape(int seed, Coordinate centreLonLat, Terrain terrain)
    {
        random = new Random(seed);
        frame = new LocalFrame(centreLonLat.X, centreLonLat.Y);
        this.terrain = terrain;
        elevationField = new SmoothField(random, 900, 3000);
        useField = new SmoothField(random, 250, 900);
        qualityField = new SmoothField(random, 300, 1200);
    }

    public sealed record Output(
        MultiPolygon ProjectArea,
        IReadOnlyList<ZoneInput> Zones,
        IReadOnlyList<Parcel> Before,
        IReadOnlyList<Parcel> After,
        IReadOnlyList<ReferenceFeature> DevelopmentBoundary,
        IReadOnlyList<ReferenceFeature> EcoRedLine,
        IReadOnlyList<ReferenceFeature> IndustrialParks);

    /// <summary>Generates a project around <paramref name="centreLonLat"/> of about <paramref name="radiusM"/>, clipped to the district.</summary>
    public static Output Generate(int seed, Coordinate centreLonLat, double radiusM, Terrain terrain, District district, IReadOnlyList<Township> townships)
    {
        var landscape = new DemoLandscape(seed, centreLonLat, terrain);
        return landscape.Run(radiusM, district, townships);
    }

    private Output Run(double radiusM, District district, IReadOnlyList<Township> townships)
    {
        var gf = LocalFrame.MetricFactory;
        var districtLocal = frame.ToLocal(district.Boundary);
        // Where the area follows the (strongly generalised) district boundary its edges run for kilometres; a
        // surveyed boundary has vertices every few tens of metres, and the survey's area formula assumes short
        // edges. Densify to 50 m.
        var area = Densifier.Densify(
            Largest(OverlayNGRobust.Overlay(Blob(new Coordinate(0, 0), radiusM, 0.22), districtLocal, SpatialFunction.Intersection)), 50);
        var env = area.EnvelopeInternal;
        var r = Math.Sqrt(area.Area / Math.PI);

        for (var i = 0; i < 1 + random.Next(2); i++)
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            hills.Add((new Coordinate(Math.Cos(angle) * r * 0.9, Math.Sin(angle) * r * 0.9), r * (0.5 + (random.NextDouble() * 0.4))));
        }

        // Seeds at the valley density, thinned where the land rises: parcels grow with elevation.
        var candidates = new List<Coordinate>();
        var count = (int)(env.Area / ValleyParcelM2);
        for (var i = 0; i < count; i++)
        {
            candidates.Add(new Coordinate(env.MinX + (random.NextDouble() * env.Width), env.MinY + (random.NextDouble() * env.Height)));
        }

        elevationQuantiles = new Quantiles(candidates.Select(c => RawElevation(c.X, c.Y)));
        var seeds = candidates.Where(c =>
        {
            var density = Elevation(c) switch
            {
                var e when e < ValleyShare => 1.0,
                var e when e < ValleyShare + 0.25 => ValleyParcelM2 / HillParcelM2,
                _ => ValleyParcelM2 / MountainParcelM2,
            };
            return random.NextDouble() < density;
        }).ToList();

        // Linear features: two rural roads (1006), ditches (1107) along the valley, sometimes a river (1101).
        var strips = new List<(Geometry Shape, string LandClass)>();
        var roads = new List<LineString>();
        for (var i = 0; i < 2; i++)
        {
            var road = Crossing(env, r);
            roads.Add(road);
            strips.Add((road.Buffer(3, new BufferParameters { EndCapStyle = EndCapStyle.Flat }), "1006"));
        }

        if (random.NextDouble() < 0.5)
        {
            strips.Add((Crossing(env, r, meander: true).Buffer(12 + (random.NextDouble() * 10), new BufferParameters { EndCapStyle = EndCapStyle.Flat }), "1101"));
        }

        for (var i = 0; i < 4; i++)
        {
            strips.Add((Crossing(env, r).Buffer(1.5, new BufferParameters { EndCapStyle = EndCapStyle.Flat }), "1107"));
        }

        // The town: a development boundary at one edge of the area, an industrial park inside it.
        var townAngle = random.NextDouble() * 2 * Math.PI;
        var townCentre = new Coordinate(Math.Cos(townAngle) * r * 0.85, Math.Sin(townAngle) * r * 0.85);
        var devBoundary = Blob(townCentre, r * 0.4, 0.15);
        var park = Blob(new Coordinate(townCentre.X * 0.95, townCentre.Y * 0.95), r * 0.13, 0.1);
        var redLineCentre = hills[0].Centre;
        var redLine = Blob(redLineCentre, r * 0.35, 0.2);

        // Villages strung along the roads, on the valley floor where possible.
        var villages = new List<(Coordinate Centre, double Radius)>();
        for (var attempt = 0; villages.Count < 3 && attempt < 60; attempt++)
        {
            var road = roads[attempt % roads.Count];
            var p = road.GetCoordinateN(random.Next(road.NumPoints));
            if (area.Contains(gf.CreatePoint(p)) && !devBoundary.Contains(gf.CreatePoint(p)) && Elevation(p) < ValleyShare + 0.1)
            {
                villages.Add((p, 90 + (random.NextDouble() * 80)));
            }
        }

        var pieces = MosaicTiler.Tile(area, seeds, [.. strips.Select(s => s.Shape)]);
        var preparedDev = PreparedGeometryFactory.Prepare(devBoundary);
        var preparedPark = PreparedGeometryFactory.Prepare(park);
        var preparedTownships = townships.Select(t => (t.Code, Shape: PreparedGeometryFactory.Prepare(frame.ToLocal(t.Shape!)))).ToList();

        var before = new List<LocalParcel>(pieces.Count);
        foreach (var piece in pieces)
        {
            var c = piece.Polygon.InteriorPoint.Coordinate;
            var point = gf.CreatePoint(c);
            var site = new Site(
                c, Elevation(c), Rank(useField, c), Rank(qualityField, c), random.NextDouble(),
                preparedDev.Contains(point), preparedPark.Contains(point),
                villages.FindIndex(v => v.Centre.Distance(c) < v.Radius));
            var landClass = piece.StripIndex is { } s ? strips[s].LandClass : ClassBefore(site);
            var farmland = landClass is "0101" or "0102" or "0103";
            var pbf = farmland && site.Elevation < ValleyShare + 0.05 && (site.Inside ? site.Quality < 0.3 : site.Quality > 0.15);
            var hsf = farmland && (pbf ? site.Quality > 0.3 : site.Quality > 0.8);
            var township = preparedTownships.FirstOrDefault(t => t.Shape.Contains(point)).Code ?? preparedTownships[0].Code;
            var village = 1 + (int)(((site.Use * 7) + (Math.Abs(c.X) / 700)) % 9);
            var location = township + village.ToString("000", CultureInfo.InvariantCulture) + "0000000";
            before.Add(new LocalParcel(piece.Polygon, landClass, pbf, hsf, location, site));
        }

        var after = Consolidate(before);
        var zones = Zones(area, r);
        return new Output(
            ToLonLat(area),
            [.. zones.Select((z, i) => new ZoneInput($"Z{i + 1}", ZoneNames[i], ToLonLat(z)))],
            [.. before.Select(ToParcel)],
            [.. after.Select(ToParcel)],
            [Feature(devBoundary, "集中建设区", "城镇开发边界")],
            [Feature(redLine, null, "生态保护红线")],
            [Feature(park, null, "工业园区")]);
    }

    private static readonly string[] ZoneNames = ["一号整治区", "二号整治区", "三号整治区"];

    private double ValleyShare => terrain switch
    {
        Terrain.Plain => 0.7,
        Terrain.Hilly => 0.5,
        _ => 0.35,
    };

    private readonly record struct Site(
        Coordinate At, double Elevation, double Use, double Quality, double Noise, bool Inside, bool InPark, int Village);

    private sealed record LocalParcel(Polygon Shape, string LandClass, bool Pbf, bool Hsf, string Location, Site Site);

    private string ClassBefore(Site s)
    {
        if (s.InPark)
        {
            return Pick(s.Noise, ("0601", 0.8), ("1201", 0.1), ("0508", 0.1));
        }

        if (s.Inside)
        {
            return Pick(s.Use, ("0701", 0.35), ("05H1", 0.1), ("0601", 0.15), ("08H2", 0.06), ("0809", 0.04), ("1201", 0.05), ("0101", 0.2), ("0103", 0.05));
        }

        if (s.Village >= 0)
        {
            return Pick(s.Noise, ("0702", 0.74), ("0601", 0.08), ("08H2", 0.04), ("1202", 0.04), ("1201", 0.04), ("0101", 0.06));
        }

        if (s.Elevation < ValleyShare)
        {
            return Pick((s.Use * 0.9) + (s.Noise * 0.1),
                ("0101", 0.6), ("0103", 0.08), ("0102", 0.04), ("1104", 0.06), ("0201", 0.05), ("0201K", 0.02),
                ("0301K", 0.01), ("1104K", 0.01), ("1202", 0.03), ("0404", 0.03), ("0204", 0.02), ("0702", 0.05));
        }

        if (s.Elevation < ValleyShare + 0.25)
        {
            return Pick(s.Use, ("0202", 0.25), ("0103", 0.2), ("0301", 0.2), ("0201", 0.1), ("0302", 0.15), ("0404", 0.05), ("0101", 0.05));
        }

        return Pick(s.Use, ("0301", 0.45), ("0302", 0.35), ("0307", 0.1), ("0305", 0.07), ("0404", 0.03));
    }

    /// <summary>
    /// The planned state: scattered farmland, grass, adjustable land and small ponds on the valley floor become
    /// large paddy fields (merged per field block); part of the small villages' homesteads and the scattered
    /// industrial land outside the town are reclaimed; parcels elsewhere are unchanged.
    /// </summary>
    private List<LocalParcel> Consolidate(List<LocalParcel> before)
    {
        var result = new List<LocalParcel>(before.Count);
        var blocks = new Dictionary<(int, int), List<LocalParcel>>();
        foreach (var p in before)
        {
            var s = p.Site;
            var joinsField = !s.Inside && s.Village < 0 && s.Elevation < ValleyShare
                && (p.LandClass is "0101" or "0102" or "0103" or "0404" or "0201K" or "0301K" or "1104K" or "0204"
                    || (p.LandClass == "1104" && p.Shape.Area < 1500));
            if (joinsField)
            {
                var key = ((int)Math.Floor(s.At.X / 160), (int)Math.Floor(s.At.Y / 110));
                if (!blocks.TryGetValue(key, out var list))
                {
                    blocks[key] = list = [];
                }

                list.Add(p);
                continue;
            }

            var reclaimed = (s.Village >= 1 && p.LandClass == "0702" && s.Noise < 0.4)
                || (!s.Inside && p.LandClass == "0601" && s.Noise < 0.6);
            var parkGrowth = s.InPark && p.LandClass == "1201";
            result.Add(reclaimed ? p with { LandClass = "0103", Pbf = false, Hsf = false }
                : parkGrowth ? p with { LandClass = "0601" }
                : p);
        }

        foreach (var members in blocks.Values)
        {
            var pbfArea = members.Where(m => m.Pbf).Sum(m => m.Shape.Area);
            var total = members.Sum(m => m.Shape.Area);
            var merged = CoverageUnion.Union(LocalFrame.MetricFactory.BuildGeometry(members.Select(m => (Geometry)m.Shape)));
            for (var i = 0; i < merged.NumGeometries; i++)
            {
                if (merged.GetGeometryN(i) is Polygon field)
                {
                    var first = members[0];
                    var pbf = pbfArea >= total / 2;
                    result.Add(first with { Shape = field, LandClass = "0101", Pbf = pbf, Hsf = pbf || first.Site.Quality > 0.5 });
                }
            }
        }

        return result;
    }

    private List<Geometry> Zones(Geometry area, double r)
    {
        var zones = new List<Geometry>();
        Geometry used = LocalFrame.MetricFactory.CreatePolygon();
        var count = r > 1100 ? 3 : r > 800 ? 2 : 1;
        for (var attempt = 0; zones.Count < count && attempt < 40; attempt++)
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            var centre = new Coordinate(Math.Cos(angle) * r * 0.45, Math.Sin(angle) * r * 0.45);
            if (Elevation(centre) > ValleyShare + 0.1)
            {
                continue;
            }

            var zone = OverlayNGRobust.Overlay(
                OverlayNGRobust.Overlay(Blob(centre, r * 0.45, 0.15), area, SpatialFunction.Intersection),
                used, SpatialFunction.Difference);
            zone = Largest(zone);
            if (zone.Area > area.Area * 0.05)
            {
                zones.Add(zone);
                used = OverlayNGRobust.Overlay(used, zone, SpatialFunction.Union);
            }
        }

        if (zones.Count == 0)
        {
            zones.Add(Largest(OverlayNGRobust.Overlay(Blob(new Coordinate(0, 0), r * 0.5, 0.1), area, SpatialFunction.Intersection)));
        }

        return zones;
    }

    private double RawElevation(double x, double y)
    {
        var h = 0.6 * elevationField.At(x, y);
        foreach (var (centre, radius) in hills)
        {
            var d2 = (Math.Pow(x - centre.X, 2) + Math.Pow(y - centre.Y, 2)) / (radius * radius);
            h += 1.6 * Math.Exp(-d2);
        }

        return h;
    }

    /// <summary>Elevation as the quantile of the area: below <see cref="ValleyShare"/> is valley floor.</summary>
    private double Elevation(Coordinate c) => elevationQuantiles.Of(RawElevation(c.X, c.Y));

    private static double Rank(SmoothField field, Coordinate c) => (field.At(c.X, c.Y) + 1) / 2;

    private static string Pick(double u, params (string Code, double Share)[] table)
    {
        // The field values cluster around the middle; stretch them so the shares come out roughly as given.
        var q = Math.Clamp(0.5 + ((u - 0.5) * 1.8), 0, 0.999999);
        double sum = 0;
        foreach (var (code, share) in table)
        {
            sum += share;
            if (q < sum)
            {
                return code;
            }
        }

        return table[^1].Code;
    }

    private Polygon Blob(Coordinate centre, double radius, double wobble)
    {
        var phases = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 * Math.PI).ToArray();
        var ring = new Coordinate[73];
        for (var i = 0; i < 72; i++)
        {
            var t = i * 2 * Math.PI / 72;
            var rr = radius * (1 + (wobble * Math.Sin((2 * t) + phases[0])) + (wobble * 0.6 * Math.Sin((3 * t) + phases[1])) + (wobble * 0.3 * Math.Sin((5 * t) + phases[2])));
            ring[i] = new Coordinate(centre.X + (rr * Math.Cos(t)), centre.Y + (rr * Math.Sin(t)));
        }

        ring[72] = ring[0].Copy();
        return LocalFrame.MetricFactory.CreatePolygon(ring);
    }

    private LineString Crossing(Envelope env, double r, bool meander = false)
    {
        var angle = random.NextDouble() * Math.PI;
        var offset = (random.NextDouble() - 0.5) * r;
        var (dx, dy) = (Math.Cos(angle), Math.Sin(angle));
        var (nx, ny) = (-dy, dx);
        var half = Math.Max(env.Width, env.Height);
        var points = new List<Coordinate>();
        const int Steps = 24;
        for (var i = 0; i <= Steps; i++)
        {
            var t = -half + (2 * half * i / Steps);
            var bend = (meander ? 0.12 : 0.05) * r * Math.Sin((t / r * (meander ? 3 : 1.3)) + angle);
            points.Add(new Coordinate((dx * t) + (nx * (offset + bend)), (dy * t) + (ny * (offset + bend))));
        }

        return LocalFrame.MetricFactory.CreateLineString([.. points]);
    }

    private static Geometry Largest(Geometry g) =>
        Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OrderByDescending(p => p.Area).First();

    private MultiPolygon ToLonLat(Geometry local)
    {
        // The affine map to degrees can, rarely, fold a near-degenerate spike of an overlay result: mend it.
        var lonLat = frame.ToLonLat(local);
        return SyntheticTownships.ToMultiPolygon(lonLat.IsValid ? lonLat : GeometryFixer.Fix(lonLat));
    }

    private Parcel ToParcel(LocalParcel p)
    {
        var geometry = ToLonLat(p.Shape);
        return new Parcel(p.LandClass, p.Pbf, p.Hsf, p.Location, geometry, EllipsoidalArea.OfGeometry(geometry));
    }

    private ReferenceFeature Feature(Geometry local, string? kind, string name)
    {
        var geometry = ToLonLat(local);
        return new ReferenceFeature(kind, name, geometry, EllipsoidalArea.OfGeometry(geometry));
    }
}
