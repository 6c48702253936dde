using Fuchun.Domain.Reference;
using Fuchun.Spatial;
using Fuchun.Spatial.Generation;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Triangulate;

namespace Fuchun.Domain.Demo;

/// <summary>
/// Synthetic township shapes for the demo: the district is split into one Voronoi cell per township around
/// random seeds inside it. The names and codes are real; the shapes are not, and are marked synthetic.
/// </summary>
internal static class SyntheticTownships
{
    public sealed record Result(IReadOnlyList<Township> Townships, IReadOnlyList<Coordinate> SeedsLonLat);

    public static Result Build(District district, IReadOnlyList<TownshipListing> listings, int seed)
    {
        var random = new Random(seed);
        var centre = district.Boundary.EnvelopeInternal.Centre;
        var frame = new LocalFrame(centre.X, centre.Y);
        var local = frame.ToLocal(district.Boundary);
        var prepared = PreparedGeometryFactory.Prepare(local);
        var env = local.EnvelopeInternal;
        var seeds = new List<Coordinate>();
        var minSpacing = Math.Sqrt(local.Area / Math.Max(1, listings.Count)) * 0.45;
        for (var attempt = 0; seeds.Count < listings.Count && attempt < 200_000; attempt++)
        {
            var c = new Coordinate(env.MinX + (random.NextDouble() * env.Width), env.MinY + (random.NextDouble() * env.Height));
            var spacing = attempt < 100_000 ? minSpacing : 0;
            if (prepared.Contains(LocalFrame.MetricFactory.CreatePoint(c)) && seeds.TrueForAll(s => s.Distance(c) >= spacing))
            {
                seeds.Add(c);
            }
        }

        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(seeds);
        var clip = env.Copy();
        clip.ExpandBy(Math.Max(env.Width, env.Height));
        builder.ClipEnvelope = clip;
        var cells = builder.GetDiagram(LocalFrame.MetricFactory);
        var townships = new List<Township>();
        for (var i = 0; i < listings.Count; i++)
        {
            // Cells come back in an order of their own: match each to the seed it contains.
            var seedPoint = LocalFrame.MetricFactory.CreatePoint(seeds[i]);
            Geometry? cell = null;
            for (var j = 0; j < cells.NumGeometries && cell is null; j++)
            {
                if (cells.GetGeometryN(j).Contains(seedPoint))
                {
                    cell = cells.GetGeometryN(j);
                }
            }

            var shape = OverlayNGRobust.Overlay(cell!, local, SpatialFunction.Intersection);
            var lonLat = ToMultiPolygon(frame.ToLonLat(shape));
            townships.Add(new Township(listings[i].Code, listings[i].Name, district.Code, lonLat, shapeIsSynthetic: true));
        }

        return new Result(townships, [.. seeds.Select(s => frame.ToLonLat(s.X, s.Y))]);
    }

    internal static MultiPolygon ToMultiPolygon(Geometry g) => g switch
    {
        MultiPolygon mp => mp,
        Polygon p => Cgcs2000.Factory.CreateMultiPolygon([p]),
        _ => Cgcs2000.Factory.CreateMultiPolygon([.. Enumerable.Range(0, g.NumGeometries)
            .Select(g.GetGeometryN).OfType<Polygon>()]),
    };
}
