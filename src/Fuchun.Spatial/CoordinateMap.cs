using NetTopologySuite.Geometries;

namespace Fuchun.Spatial;

/// <summary>Applies a point-by-point coordinate mapping (a projection, its inverse, a local frame) to a geometry.</summary>
public static class CoordinateMap
{
    /// <summary>
    /// A copy of <paramref name="geometry"/> built by <paramref name="factory"/> with every coordinate mapped by
    /// <paramref name="map"/>; the original is left unchanged.
    /// </summary>
    public static Geometry Apply(Geometry geometry, GeometryFactory factory, Func<double, double, (double X, double Y)> map)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(factory);
        var copy = factory.CreateGeometry(geometry);
        copy.Apply(new MapFilter(map));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class MapFilter(Func<double, double, (double X, double Y)> map) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = map(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
