using Fuchun.Domain.Layers;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Analysis;

/// <summary>
/// A parcel layer as the analysis reads it: geometry, land class, area and flags side by side, each parcel known
/// by its id (its database id, or its feature number in a file).
/// </summary>
public sealed class ParcelSet
{
    public ParcelSet(IReadOnlyList<Geometry> geometries, IReadOnlyList<string> classes, IReadOnlyList<double> areas,
        IReadOnlyList<bool> pbf, IReadOnlyList<bool> highStandard, IReadOnlyList<long> ids, IReadOnlyList<string?>? locations = null)
    {
        ArgumentNullException.ThrowIfNull(geometries);
        if (classes.Count != geometries.Count || areas.Count != geometries.Count || pbf.Count != geometries.Count
            || highStandard.Count != geometries.Count || ids.Count != geometries.Count)
        {
            throw new ArgumentException("every column of a parcel set must have one value per parcel");
        }

        Geometries = geometries;
        Classes = classes;
        Areas = areas;
        Pbf = pbf;
        HighStandard = highStandard;
        Ids = ids;
        Locations = locations ?? new string?[geometries.Count];
    }

    public static ParcelSet Empty { get; } = new([], [], [], [], [], []);

    /// <summary>Parcels as stored or imported; a parcel not yet stored (id 0) is known by its 1-based position.</summary>
    public static ParcelSet Of(IReadOnlyList<Parcel> parcels)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        return new(
            [.. parcels.Select(p => (Geometry)p.Geometry)],
            [.. parcels.Select(p => p.LandClass)],
            [.. parcels.Select(p => p.AreaM2)],
            [.. parcels.Select(p => p.IsPbf)],
            [.. parcels.Select(p => p.IsHighStandard)],
            [.. parcels.Select((p, i) => p.Id != 0 ? p.Id : i + 1L)],
            [.. parcels.Select(p => p.LocationCode)]);
    }

    public IReadOnlyList<Geometry> Geometries { get; }

    public IReadOnlyList<string> Classes { get; }

    public IReadOnlyList<double> Areas { get; }

    public IReadOnlyList<bool> Pbf { get; }

    public IReadOnlyList<bool> HighStandard { get; }

    public IReadOnlyList<long> Ids { get; }

    /// <summary>ZLDWDM, the location (village) code, where known; its first 9 digits are the township.</summary>
    public IReadOnlyList<string?> Locations { get; }

    public int Count => Geometries.Count;
}
