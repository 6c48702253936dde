using Fuchun.Domain.Demo;
using Fuchun.Spatial.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Fuchun.Domain.Mosaic;

/// <summary>A parcel of a generated mosaic, in Gauss–Krüger metres of <see cref="MosaicGenerator.Crs"/>.</summary>
public sealed record MosaicParcel(long Id, string LandClass, bool IsPbf, bool IsHighStandard, string LocationCode, Polygon Geometry);

/// <summary>
/// A deterministic, city-scale 三调 parcel mosaic for tests and benchmarks. A jittered lattice of farm roads and
/// ditches (1006/1107, 3–8 m wide, crossings included) frames blocks; each block is cut into rows and each row into
/// fields, with lognormal sizes (median 1–3 亩 by area), gently curved row boundaries and tilted field ends, so that
/// parcels are irregular quadrilaterals with 10–40 vertices. Every shared boundary is built once and used by both
/// neighbours with the same vertices, so the parcels form an exact polygonal coverage: no overlap, no gap, no
/// T-junction. Village islands (0702) sit inside fields as holes. Land classes follow smooth random fields, so
/// farmland forms blocks from a few 亩 to tens of thousands. <see cref="After"/> is the same land consolidated
/// inside the <see cref="Zones"/> (which ignore parcel edges): small fields merged, villages and orchards turned to
/// paddy. Everything is a function of the seed; blocks are independent, so any order of generation gives the
/// same parcels.
/// </summary>
public sealed class MosaicGenerator
{
    /// <summary>Nominal lattice spacing (block plus road), metres.</summary>
    private const double CellM = 400;

    /// <summary>Sampling step along row boundaries, metres: it sets the vertex count of a field.</summary>
    private const double SampleM = 9;

    private const double RowMedianM = 28;
    private const double FieldMedianM = 48;

    private static readonly GeometryFactory MetricFactory = new(new PrecisionModel(), MosaicCrsEpsg, PackedCoordinateSequenceFactory.DoubleFactory);

    private const int MosaicCrsEpsg = 4528;

    private readonly int seed;
    private readonly int n;
    private readonly double sizeScale;
    private readonly Coordinate[,] nodes;
    private readonly double[,] horizontalWidth;
    private readonly double[,] verticalWidth;
    private readonly Block?[,] blocks;
    private readonly SmoothField useField;
    private readonly SmoothField farmField;
    private readonly SmoothField pbfField;
    private readonly SmoothField sizeField;
    private readonly Quantiles useQuantiles;
    private readonly Quantiles pbfQuantiles;
    private readonly Quantiles sizeQuantiles;
    private readonly List<Polygon> zones = [];

    /// <param name="parcels">About how many parcels the mosaic should have (10 000, 100 000, 1 000 000).</param>
    /// <param name="seed">The seed: the same seed gives the same mosaic.</param>
    public MosaicGenerator(int parcels, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parcels, 100);
        this.seed = seed;
        n = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(parcels / ParcelsPerCell)));

        // A few more cells than needed: fields grow a little so the count comes out close to what was asked.
        sizeScale = Math.Sqrt(n * n * ParcelsPerCell / parcels);
        var random = new Random(seed);
        useField = new SmoothField(random, 2500, 14000, 9);
        farmField = new SmoothField(random, 600, 3000);
        pbfField = new SmoothField(random, 1500, 6000);
        sizeField = new SmoothField(random, 3000, 12000);
        var extent = n * CellM;
        var sample = new List<double>();
        var pbfSample = new List<double>();
        var sizeSample = new List<double>();
        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                sample.Add(useField.At((i + 0.5) * extent / 64, (j + 0.5) * extent / 64));
                pbfSample.Add(pbfField.At((i + 0.5) * extent / 64, (j + 0.5) * extent / 64));
                sizeSample.Add(sizeField.At((i + 0.5) * extent / 64, (j + 0.5) * extent / 64));
            }
        }

        useQuantiles = new Quantiles(sample);
        pbfQuantiles = new Quantiles(pbfSample);
        sizeQuantiles = new Quantiles(sizeSample);

        // Lattice nodes, one ring beyond the blocks so the outer roads have their outer edge too.
        nodes = new Coordinate[n + 3, n + 3];
        for (var i = 0; i < n + 3; i++)
        {
            for (var j = 0; j < n + 3; j++)
            {
                var r = new Rng(seed, 1, i, j);
                nodes[i, j] = new Coordinate(((i - 1) * CellM) + r.Between(-0.12, 0.12) * CellM, ((j - 1) * CellM) + r.Between(-0.12, 0.12) * CellM);
            }
        }

        horizontalWidth = new double[n + 2, n + 3];
        verticalWidth = new double[n + 3, n + 2];
        for (var i = 0; i < n + 3; i++)
        {
            for (var j = 0; j < n + 3; j++)
            {
                if (i < n + 2)
                {
                    horizontalWidth[i, j] = new Rng(seed, 2, i, j).Between(3, 8);
                }

                if (j < n + 2)
                {
                    verticalWidth[i, j] = new Rng(seed, 3, i, j).Between(3, 8);
                }
            }
        }

        blocks = new Block?[n + 2, n + 2];
        Parallel.For(0, n + 2, i =>
        {
            for (var j = 0; j < n + 2; j++)
            {
                blocks[i, j] = new Block(this, i, j, IsReal(i, j));
            }
        });

        var zoneRandom = new Random(seed + 7);
        var zoneCount = Math.Max(2, n / 4);
        for (var z = 0; z < zoneCount; z++)
        {
            zones.Add(Blob(zoneRandom, new Coordinate(zoneRandom.NextDouble() * extent, zoneRandom.NextDouble() * extent), Math.Min(extent / 4, 900 + (zoneRandom.NextDouble() * 1600))));
        }
    }

    /// <summary>The mosaic's coordinate system: CGCS2000 3° Gauss–Krüger zone 40 with zone prefix, as 三调 data comes.</summary>
    public static CoordinateSystem Crs => CoordinateSystems.Get(MosaicCrsEpsg);

    /// <summary>Expected parcels per lattice cell: fields, village islands, its share of roads and crossings.</summary>
    private const double ParcelsPerCell = 112;

    /// <summary>False easting and northing of the mosaic's local metres in <see cref="Crs"/> (near Hangzhou).</summary>
    private const double OriginE = 40_470_000, OriginN = 3_320_000;

    /// <summary>Consolidation zones (整治区): smooth blobs that cross parcel edges.</summary>
    public IReadOnlyList<Polygon> Zones => zones;

    /// <summary>The land before consolidation, in block order (spatially sorted).</summary>
    public IEnumerable<MosaicParcel> Before() => Parcels(after: false);

    /// <summary>The land after consolidation as planned, in block order; the same coverage outside the zones.</summary>
    public IEnumerable<MosaicParcel> After() => Parcels(after: true);

    private bool IsReal(int i, int j) => i >= 1 && j >= 1 && i <= n && j <= n;

    private IEnumerable<MosaicParcel> Parcels(bool after)
    {
        long id = 0;
        var prepared = zones.Select(NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare).ToList();
        bool InZone(Coordinate c) => after && prepared.Any(z => z.Contains(MetricFactory.CreatePoint(new Coordinate(c.X + OriginE, c.Y + OriginN))));

        // Cell (i, j) with the road left of it, the road below it and the crossing at its lower left corner:
        // neighbours come out together, as a spatially sorted file would have them.
        for (var j = 1; j <= n + 1; j++)
        {
            for (var i = 1; i <= n + 1; i++)
            {
                if (IsReal(i, j))
                {
                    foreach (var p in blocks[i, j]!.Fields(InZone))
                    {
                        yield return p with { Id = ++id };
                    }
                }

                if (IsReal(i, j) || IsReal(i - 1, j))
                {
                    if (j <= n)
                    {
                        yield return Strip(++id, blocks[i - 1, j]!, Side.Right, blocks[i, j]!, Side.Left, new Rng(seed, 4, i, j));
                    }
                }

                if (IsReal(i, j) || IsReal(i, j - 1))
                {
                    if (i <= n)
                    {
                        yield return Strip(++id, blocks[i, j - 1]!, Side.Top, blocks[i, j]!, Side.Bottom, new Rng(seed, 5, i, j));
                    }
                }

                if (IsReal(i, j) || IsReal(i - 1, j) || IsReal(i, j - 1) || IsReal(i - 1, j - 1))
                {
                    var ring = new[]
                    {
                        blocks[i - 1, j - 1]!.Corner(2), blocks[i, j - 1]!.Corner(3), blocks[i, j]!.Corner(0), blocks[i - 1, j]!.Corner(1),
                        blocks[i - 1, j - 1]!.Corner(2),
                    };
                    yield return new MosaicParcel(++id, "1006", false, false, Location(ring[0]), Polygon(ring));
                }
            }
        }
    }

    private static MosaicParcel Strip(long id, Block a, Side sideA, Block b, Side sideB, Rng r)
    {
        // a's side runs in the direction of increasing parameter; b's side is walked back, so the ring closes.
        var ring = new List<Coordinate>();
        ring.AddRange(a.SideWithCorners(sideA));
        var other = b.SideWithCorners(sideB);
        other.Reverse();
        ring.AddRange(other);
        ring.Add(ring[0]);
        var ditch = r.NextDouble() < 0.4;
        return new MosaicParcel(id, ditch ? "1107" : "1006", false, false, Location(ring[0]), Polygon([.. ring]));
    }

    private static Polygon Polygon(Coordinate[] shell, Coordinate[][]? holes = null) => MetricFactory.CreatePolygon(
        MetricFactory.CreateLinearRing(Offset(shell)),
        holes?.Select(h => MetricFactory.CreateLinearRing(Offset(h))).ToArray());

    private static Coordinate[] Offset(Coordinate[] ring)
    {
        var result = new Coordinate[ring.Length];
        for (var i = 0; i < ring.Length; i++)
        {
            result[i] = new Coordinate(ring[i].X + OriginE, ring[i].Y + OriginN);
        }

        return result;
    }

    /// <summary>A 12-digit ZLDWDM: a synthetic township (every 4 km) and village (every 1.2 km) of Yuhang (330110).</summary>
    private static string Location(Coordinate c)
    {
        var township = (((int)Math.Floor(c.X / 4000) * 7) + (int)Math.Floor(c.Y / 4000)) % 900;
        var village = (((int)Math.Floor(c.X / 1200) * 3) + (int)Math.Floor(c.Y / 1200)) % 900;
        return $"330110{township + 100:000}{village + 100:000}";
    }

    private static Polygon Blob(Random random, Coordinate centre, double radius)
    {
        const int Vertices = 48;
        var phases = new[] { random.NextDouble() * 6.3, random.NextDouble() * 6.3, random.NextDouble() * 6.3 };
        var ring = new Coordinate[Vertices + 1];
        for (var k = 0; k < Vertices; k++)
        {
            var a = 2 * Math.PI * k / Vertices;
            var r = radius * (1 + (0.25 * Math.Sin((2 * a) + phases[0])) + (0.12 * Math.Sin((3 * a) + phases[1])) + (0.06 * Math.Sin((5 * a) + phases[2])));
            ring[k] = new Coordinate(centre.X + (r * Math.Cos(a)), centre.Y + (r * Math.Sin(a)));
        }

        ring[Vertices] = ring[0];
        return Polygon(ring);
    }

    private string FieldClass(Coordinate c, ref Rng r)
    {
        var use = useQuantiles.Of(useField.At(c.X, c.Y));
        var local = farmField.At(c.X, c.Y);
        var mix = r.NextDouble();
        if (use < 0.58)
        {
            // Farmland country: paddy, some irrigated and dry land, a few greenhouses, orchards and ponds.
            return mix < 0.04 ? "0201" : mix < 0.06 ? "1104" : mix < 0.075 ? "1202" : local > 0.45 ? "0103" : local > 0.2 ? "0102" : "0101";
        }

        if (use < 0.70)
        {
            return mix < 0.07 ? "0103" : local > 0 ? "0202" : "0201";
        }

        if (use < 0.88)
        {
            return mix < 0.05 ? "0103" : mix < 0.08 ? "0202" : local > 0.3 ? "0307" : local > -0.5 ? "0301" : "0305";
        }

        if (use < 0.93)
        {
            return mix < 0.1 ? "0101" : "1104";
        }

        return mix < 0.06 ? "0101" : local > 0.5 ? "0601" : "0702";
    }

    private enum Side
    {
        Bottom,
        Right,
        Top,
        Left,
    }

    /// <summary>
    /// One lattice cell: its corner points (the inward offsets of its four roads), and for a real block its rows and
    /// fields in a parameter square (s along the rows, t across) mapped bilinearly onto the corners.
    /// </summary>
    private sealed class Block
    {
        private readonly MosaicGenerator owner;
        private readonly Coordinate[] corners = new Coordinate[4];
        private readonly int i, j;
        private readonly bool transposed;
        private readonly double[] rowT = [];
        private readonly Curve[] curves = [];
        private readonly Cut[][] cuts = [];
        private readonly double[][] curveSamples = [];

        public Block(MosaicGenerator owner, int i, int j, bool real)
        {
            this.owner = owner;
            this.i = i;
            this.j = j;
            var p = owner.nodes;
            var (p0, p1, p2, p3) = (p[i, j], p[i + 1, j], p[i + 1, j + 1], p[i, j + 1]);
            var wBottom = owner.horizontalWidth[i, j] / 2;
            var wRight = owner.verticalWidth[i + 1, j] / 2;
            var wTop = owner.horizontalWidth[i, j + 1] / 2;
            var wLeft = owner.verticalWidth[i, j] / 2;
            corners[0] = OffsetCorner(p3, p0, wLeft, p0, p1, wBottom);
            corners[1] = OffsetCorner(p0, p1, wBottom, p1, p2, wRight);
            corners[2] = OffsetCorner(p1, p2, wRight, p2, p3, wTop);
            corners[3] = OffsetCorner(p2, p3, wTop, p3, p0, wLeft);
            if (!real)
            {
                return;
            }

            var r = new Rng(owner.seed, 6, i, j);
            transposed = r.NextDouble() < 0.5;
            var (lengthS, lengthT) = transposed
                ? (Distance(corners[0], corners[3]), Distance(corners[0], corners[1]))
                : (Distance(corners[0], corners[1]), Distance(corners[0], corners[3]));
            var centre = Map(0.5, 0.5);
            var scale = owner.sizeScale * (0.75 + (0.45 * owner.sizeQuantiles.Of(owner.sizeField.At(centre.X, centre.Y))));

            rowT = Partition(ref r, lengthT, RowMedianM * scale, 0.4);
            var rows = rowT.Length - 1;
            curves = new Curve[rows + 1];
            for (var k = 0; k <= rows; k++)
            {
                var amplitude = k == 0 || k == rows ? 0 : Math.Min(0.05 * Math.Min(rowT[k] - rowT[k - 1], rowT[k + 1] - rowT[k]), 1.5 / lengthT);
                curves[k] = new Curve(rowT[k], amplitude, r.Between(1.5, 4.5), r.Between(0, 6.3), r.Between(6, 11), r.Between(0, 6.3));
            }

            cuts = new Cut[rows][];
            for (var k = 0; k < rows; k++)
            {
                var s = Partition(ref r, lengthS, FieldMedianM * scale, 0.45);
                var row = new Cut[s.Length];
                for (var c = 0; c < s.Length; c++)
                {
                    var interior = c > 0 && c < s.Length - 1;
                    var tilt = interior ? 0.25 * Math.Min(s[c] - s[c - 1], s[c + 1] - s[c]) * r.Between(-1, 1) : 0;
                    var (bottom, top) = (s[c] - (tilt / 2), s[c] + (tilt / 2));
                    var wiggle = interior ? 0.05 * Math.Min(s[c] - s[c - 1], s[c + 1] - s[c]) * r.Between(-1, 1) : 0;
                    row[c] = new Cut(bottom, top, wiggle);
                }

                cuts[k] = row;
            }

            // Every vertex on row boundary k: the field ends meeting it from both rows, plus regular samples.
            var step = SampleM / lengthS;
            curveSamples = new double[rows + 1][];
            for (var k = 0; k <= rows; k++)
            {
                var set = new SortedSet<double>();
                if (k < rows)
                {
                    foreach (var c in cuts[k])
                    {
                        set.Add(c.Bottom);
                    }
                }

                if (k > 0)
                {
                    foreach (var c in cuts[k - 1])
                    {
                        set.Add(c.Top);
                    }
                }

                if (k > 0 && k < rows)
                {
                    for (var s = step; s < 1 - (step / 2); s += step)
                    {
                        set.Add(s);
                    }
                }

                curveSamples[k] = [.. set];
            }
        }

        public Coordinate Corner(int k) => corners[k];

        /// <summary>The side's vertices from its first corner to its second, in the lattice's direction.</summary>
        public List<Coordinate> SideWithCorners(Side side)
        {
            var (from, to) = side switch
            {
                Side.Bottom => (0, 1),
                Side.Right => (1, 2),
                Side.Top => (3, 2),
                _ => (0, 3),
            };
            var result = new List<Coordinate> { corners[from] };
            if (cuts.Length > 0)
            {
                // Bottom/top sides are v = 0/1 (u varies), left/right are u = 0/1 (v varies).
                var alongU = side is Side.Bottom or Side.Top;
                var atEnd = side is Side.Top or Side.Right;

                // In (s, t): u = s unless transposed. A side of constant t is row boundary 0 or the last; a side of
                // constant s is the rows' ends, at every interior row boundary.
                var constantT = alongU != transposed;
                if (constantT)
                {
                    var samples = curveSamples[atEnd ? curveSamples.Length - 1 : 0];
                    foreach (var s in samples)
                    {
                        if (s > 0 && s < 1)
                        {
                            result.Add(Param(s, atEnd ? 1 : 0));
                        }
                    }
                }
                else
                {
                    for (var k = 1; k < rowT.Length - 1; k++)
                    {
                        result.Add(Param(atEnd ? 1 : 0, rowT[k]));
                    }
                }
            }

            result.Add(corners[to]);
            return result;
        }

        public IEnumerable<MosaicParcel> Fields(Func<Coordinate, bool> inZone)
        {
            // Classes and villages first, from the block's own stream, so before and after agree outside the zones.
            var r = new Rng(owner.seed, 7, i, j);
            var codes = new string[cuts.Length][];
            var villages = new bool[cuts.Length][];
            var highStandard = new bool[cuts.Length][];
            for (var k = 0; k < cuts.Length; k++)
            {
                var row = cuts[k];
                (codes[k], villages[k], highStandard[k]) = (new string[row.Length - 1], new bool[row.Length - 1], new bool[row.Length - 1]);
                for (var c = 0; c < row.Length - 1; c++)
                {
                    codes[k][c] = owner.FieldClass(FieldCentre(k, c, c + 1), ref r);
                    villages[k][c] = codes[k][c] != "0702" && r.NextDouble() < 0.012
                        && (row[c + 1].Bottom - row[c].Bottom) * 3 > rowT[k + 1] - rowT[k];
                    highStandard[k][c] = r.NextDouble() < 0.7;
                }
            }

            for (var k = 0; k < cuts.Length; k++)
            {
                var row = cuts[k];
                var c = 0;
                while (c < row.Length - 1)
                {
                    var centre = FieldCentre(k, c, c + 1);
                    var (code, village, end) = (codes[k][c], villages[k][c], c + 1);
                    if (inZone(centre))
                    {
                        // Consolidation: orchards, dry land, greenhouses and scattered homesteads become paddy, and
                        // farmland fields in a row are merged, up to four into one.
                        code = code is "0201" or "0202" or "0702" or "0103" or "1202" ? "0101" : code;
                        village = false;
                        while (IsFarmland(code) && end < row.Length - 1 && end - c < 4 && IsFarmland(codes[k][end]) && inZone(FieldCentre(k, end, end + 1)))
                        {
                            end++;
                        }
                    }

                    var shell = FieldRing(k, c, end);
                    Coordinate[][]? holes = null;
                    var pbf = IsFarmland(code) && owner.pbfQuantiles.Of(owner.pbfField.At(centre.X, centre.Y)) < 0.72;
                    if (village)
                    {
                        var island = Island(k, c);
                        holes = [island];
                        yield return new MosaicParcel(0, "0702", false, false, Location(centre), Polygon(island));
                    }

                    yield return new MosaicParcel(0, code, pbf, pbf && highStandard[k][c], Location(centre), Polygon(shell, holes));
                    c = end;
                }
            }
        }

        private static bool IsFarmland(string code) => code is "0101" or "0102" or "0103";

        private Coordinate FieldCentre(int k, int c0, int c1)
        {
            var (a, b) = (cuts[k][c0], cuts[k][c1]);
            return Param((a.Bottom + a.Top + b.Bottom + b.Top) / 4, (rowT[k] + rowT[k + 1]) / 2);
        }

        private Coordinate[] Island(int k, int c)
        {
            var (a, b) = (cuts[k][c], cuts[k][c + 1]);
            var (s0, t0) = ((a.Bottom + a.Top + b.Bottom + b.Top) / 4, (rowT[k] + rowT[k + 1]) / 2);
            var (rs, rt) = (0.18 * Math.Min(b.Bottom - a.Bottom, b.Top - a.Top), 0.2 * (rowT[k + 1] - rowT[k]));
            var ring = new Coordinate[13];
            for (var q = 0; q < 12; q++)
            {
                var angle = -2 * Math.PI * q / 12;
                ring[q] = Param(s0 + (rs * Math.Cos(angle)), t0 + (rt * Math.Sin(angle)));
            }

            ring[12] = ring[0];
            return ring;
        }

        /// <summary>The ring of the field of row k from cut c0 to cut c1 (merged over any cuts between).</summary>
        private Coordinate[] FieldRing(int k, int c0, int c1)
        {
            var ring = new List<Coordinate>(32);
            var (bottom, top) = (curves[k], curves[k + 1]);
            var (left, right) = (cuts[k][c0], cuts[k][c1]);
            ring.Add(Param(left.Bottom, bottom.At(left.Bottom)));
            foreach (var s in Between(curveSamples[k], left.Bottom, right.Bottom))
            {
                ring.Add(Param(s, bottom.At(s)));
            }

            ring.Add(Param(right.Bottom, bottom.At(right.Bottom)));
            AddCutInterior(ring, k, right, forward: true);
            ring.Add(Param(right.Top, top.At(right.Top)));
            foreach (var s in Between(curveSamples[k + 1], left.Top, right.Top).Reverse())
            {
                ring.Add(Param(s, top.At(s)));
            }

            ring.Add(Param(left.Top, top.At(left.Top)));
            AddCutInterior(ring, k, left, forward: false);
            ring.Add(ring[0]);
            return [.. ring];
        }

        private static IEnumerable<double> Between(double[] samples, double from, double to)
        {
            var start = Array.BinarySearch(samples, from);
            start = start < 0 ? ~start : start + 1;
            for (var q = start; q < samples.Length && samples[q] < to; q++)
            {
                yield return samples[q];
            }
        }

        private static readonly double[] CutSteps = [0.25, 0.5, 0.75];

        private void AddCutInterior(List<Coordinate> ring, int k, Cut cut, bool forward)
        {
            if (cut.Bottom <= 0 || cut.Bottom >= 1)
            {
                return;   // the block's side: straight, its only vertices are the row ends (shared with the road)
            }

            var (t0, t1) = (curves[k].At(cut.Bottom), curves[k + 1].At(cut.Top));
            for (var q = 0; q < CutSteps.Length; q++)
            {
                var l = CutSteps[forward ? q : CutSteps.Length - 1 - q];
                var s = cut.Bottom + (l * (cut.Top - cut.Bottom)) + (cut.Wiggle * Math.Sin(Math.PI * l) * (l < 0.5 ? 1 : -0.6));
                ring.Add(Param(s, t0 + (l * (t1 - t0))));
            }
        }

        private Coordinate Param(double s, double t) => transposed ? Map(t, s) : Map(s, t);

        private Coordinate Map(double u, double v)
        {
            var (a, b, c, d) = (corners[0], corners[1], corners[2], corners[3]);
            var (w0, w1, w2, w3) = ((1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v);
            return new Coordinate((w0 * a.X) + (w1 * b.X) + (w2 * c.X) + (w3 * d.X), (w0 * a.Y) + (w1 * b.Y) + (w2 * c.Y) + (w3 * d.Y));
        }

        /// <summary>Cuts [0, 1] into pieces of lognormal length (metres along a side of <paramref name="length"/>).</summary>
        private static double[] Partition(ref Rng r, double length, double median, double sigma)
        {
            var pieces = new List<double>();
            var total = 0.0;
            while (total < length)
            {
                var piece = Math.Clamp(median * Math.Exp(sigma * r.Normal()), median / 3, median * 3);
                pieces.Add(piece);
                total += piece;
            }

            if (pieces.Count > 1 && total - length > pieces[^1] / 2)
            {
                total -= pieces[^1];
                pieces.RemoveAt(pieces.Count - 1);
            }

            var result = new double[pieces.Count + 1];
            var sum = 0.0;
            for (var q = 0; q < pieces.Count; q++)
            {
                sum += pieces[q];
                result[q + 1] = q == pieces.Count - 1 ? 1 : sum / total;
            }

            return result;
        }

        private static double Distance(Coordinate a, Coordinate b) => a.Distance(b);

        /// <summary>The corner where the line a1→a2 offset inward by da meets b1→b2 offset inward by db (CCW cell).</summary>
        private static Coordinate OffsetCorner(Coordinate a1, Coordinate a2, double da, Coordinate b1, Coordinate b2, double db)
        {
            static (double X, double Y) Normal(Coordinate p, Coordinate q)
            {
                var (dx, dy) = (q.X - p.X, q.Y - p.Y);
                var l = Math.Sqrt((dx * dx) + (dy * dy));
                return (-dy / l, dx / l);
            }

            var na = Normal(a1, a2);
            var nb = Normal(b1, b2);
            var (ax, ay) = (a1.X + (na.X * da), a1.Y + (na.Y * da));
            var (bx, by) = (b1.X + (nb.X * db), b1.Y + (nb.Y * db));
            var (ux, uy) = (a2.X - a1.X, a2.Y - a1.Y);
            var (vx, vy) = (b2.X - b1.X, b2.Y - b1.Y);
            var denominator = (ux * vy) - (uy * vx);
            var tA = (((bx - ax) * vy) - ((by - ay) * vx)) / denominator;
            return new Coordinate(ax + (tA * ux), ay + (tA * uy));
        }
    }

    private readonly record struct Cut(double Bottom, double Top, double Wiggle);

    /// <summary>A row boundary: t = base + amplitude·sin(πs)·(waves), straight where it meets the block's sides.</summary>
    private readonly record struct Curve(double Base, double Amplitude, double F1, double P1, double F2, double P2)
    {
        public double At(double s) => Amplitude == 0 || s <= 0 || s >= 1
            ? Base
            : Base + (Amplitude * Math.Sin(Math.PI * s) * ((0.65 * Math.Sin((2 * Math.PI * F1 * s) + P1)) + (0.35 * Math.Sin((2 * Math.PI * F2 * s) + P2))));
    }

    /// <summary>SplitMix64: a small, fast generator whose sequence is fixed by its seed on every platform.</summary>
    private struct Rng
    {
        private ulong state;

        public Rng(int seed, int stream, int i, int j)
        {
            state = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)stream << 56) ^ ((ulong)(uint)i << 28) ^ (ulong)(uint)j;
            _ = Next();
        }

        private ulong Next()
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        public double Between(double a, double b) => a + ((b - a) * NextDouble());

        public double Normal()
        {
            var u1 = 1 - NextDouble();
            var u2 = NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
