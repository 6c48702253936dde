using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Layers;

/// <summary>
/// A generalised polygon of a large parcel layer, drawn instead of the parcels at the low zoom it was made for
/// (<see cref="Level"/>): neighbouring parcels of one land class dissolved, those too small to show merged into a
/// neighbour, simplified to the zoom's pixel. See <see cref="LayerOverviews"/>.
/// </summary>
public sealed class ParcelOverview
{
    public ParcelOverview(int layerId, int level, string landClass, MultiPolygon geometry)
    {
        LayerId = layerId;
        Level = level;
        LandClass = landClass;
        Geometry = geometry;
    }

    private ParcelOverview()
    {
        LandClass = "";
        Geometry = null!;
    }

    public long Id { get; private set; }

    public int LayerId { get; private set; }

    /// <summary>The map zoom this polygon is generalised for.</summary>
    public int Level { get; private set; }

    /// <summary>DLBM, the land class the dissolved parcels had (or were given).</summary>
    public string LandClass { get; private set; }

    public MultiPolygon Geometry { get; private set; }
}
