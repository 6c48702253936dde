using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Layers;

/// <summary>
/// Pre-built overviews of large parcel layers for the low zooms of the map. At zoom 13 and below a farmland parcel
/// (1–3 亩) is a pixel or two, and a tile of a city-scale layer would carry hundreds of thousands of them (megabytes);
/// instead such tiles are cut from polygons generalised once, when the layer is written, for each zoom from
/// <see cref="MaxLevel"/> down to <see cref="MinLevel"/>. Each level is made from the one above, cell by cell
/// (tiles of zoom <see cref="CellZoom"/>, a parcel belonging to the cell that holds the centre of its bounding box),
/// so memory stays bounded whatever the size of the layer.
/// </summary>
public static class LayerOverviews
{
    /// <summary>The deepest zoom served from overviews; from the next zoom on tiles carry the parcels themselves.</summary>
    public const int MaxLevel = 13;

    /// <summary>The lowest zoom with an overview; below it a layer's tiles are empty.</summary>
    public const int MinLevel = 9;

    /// <summary>The zoom whose tiles are the cells an overview is built in (z12: about 8.5 km across here).</summary>
    public const int CellZoom = 12;

    /// <summary>Layers with fewer parcels get no overviews: their low-zoom tiles are small already.</summary>
    public const int DefaultMinParcels = 20_000;

    /// <summary>
    /// The overviews of one cell's parcels, level by level from <see cref="MaxLevel"/> down to <see cref="MinLevel"/>.
    /// </summary>
    public static IEnumerable<(int Level, IReadOnlyList<LandUsePolygon> Polygons)> Build(IReadOnlyList<Geometry> parcels, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentNullException.ThrowIfNull(classes);
        for (var level = MaxLevel; level >= MinLevel && parcels.Count > 0; level--)
        {
            IReadOnlyList<LandUsePolygon> polygons;
            try
            {
                polygons = LandUseGeneraliser.Generalise(parcels, classes, level);
            }
            catch (TopologyException)
            {
                // A robustness failure of the union or the simplifier must not refuse a layer that passed every
                // check: this cell's level keeps the level above (or the parcels) as it is, drawn less generalised.
                polygons = [.. parcels.Select((g, i) => new LandUsePolygon(g, classes[i]))];
            }

            yield return (level, polygons);
            parcels = [.. polygons.Select(p => p.Geometry)];
            classes = [.. polygons.Select(p => p.LandClass)];
        }
    }
}
