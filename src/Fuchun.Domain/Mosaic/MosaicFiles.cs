using Fuchun.Domain.LandClasses;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;

namespace Fuchun.Domain.Mosaic;

/// <summary>The row order of a written mosaic layer.</summary>
public enum MosaicOrder
{
    /// <summary>Block by block, as a survey office's file usually is.</summary>
    Sorted,

    /// <summary>A seeded random permutation: no spatial locality for a reader to lean on.</summary>
    Shuffled,
}

/// <summary>
/// Writes a generated mosaic as a 三调 地类图斑 (DLTB) layer would be delivered: projected CGCS2000 zone 40
/// coordinates, the survey's attribute fields (BSM, DLBM, DLMC, TBMJ, KCMJ, TBDLMJ, ZLDWDM, QSXZ, GDLX, GDPDJB), a
/// Chinese-named field (坐落单位, 8 bytes in GBK, 12 in UTF-8) and PBF/HSF flags; Shapefiles with a GBK DBF.
/// </summary>
public static class MosaicFiles
{
    public static IReadOnlyList<FeatureField> Fields { get; } =
    [
        new("BSM", FieldKind.Whole, 9),
        new("DLBM", FieldKind.Text, 5),
        new("DLMC", FieldKind.Text, 30),
        new("TBMJ", FieldKind.Real, 2),
        new("KCMJ", FieldKind.Real, 2),
        new("TBDLMJ", FieldKind.Real, 2),
        new("ZLDWDM", FieldKind.Text, 19),
        new("坐落单位", FieldKind.Text, 40),
        new("QSXZ", FieldKind.Text, 2),
        new("GDLX", FieldKind.Text, 2),
        new("GDPDJB", FieldKind.Text, 2),
        new("PBF", FieldKind.Whole, 1),
        new("HSF", FieldKind.Whole, 1),
    ];

    /// <summary>The parcel as a feature with the survey's attributes; TBMJ is its ellipsoidal area.</summary>
    public static IFeature ToFeature(MosaicParcel parcel)
    {
        ArgumentNullException.ThrowIfNull(parcel);
        var area = Math.Round(EllipsoidalArea.OfGeometry(parcel.Geometry, MosaicGenerator.Crs), 2);
        var farmland = parcel.LandClass is "0101" or "0102" or "0103";

        // Sloping dry land loses some of its area to field ridges (田坎), deducted as KCMJ.
        var slope = farmland ? (int)(parcel.Id % 7 == 0 ? 3 : parcel.Id % 3 == 0 ? 2 : 1) : 0;
        var deducted = parcel.LandClass == "0103" && slope > 1 ? Math.Round(area * 0.05 * (slope - 1), 2) : 0;
        var village = int.Parse(parcel.LocationCode.AsSpan(9), System.Globalization.CultureInfo.InvariantCulture);
        return new Feature(parcel.Geometry, new AttributesTable
        {
            { "BSM", parcel.Id },
            { "DLBM", parcel.LandClass },
            { "DLMC", LandClassCatalog.Get(parcel.LandClass).Name },
            { "TBMJ", area },
            { "KCMJ", deducted },
            { "TBDLMJ", Math.Round(area - deducted, 2) },
            { "ZLDWDM", parcel.LocationCode + "0000000" },
            { "坐落单位", $"富春第{village}村民委员会" },
            { "QSXZ", parcel.LandClass is "1006" or "1107" && parcel.Id % 5 == 0 ? "10" : "30" },
            { "GDLX", farmland ? slope > 1 ? "PD" : "TT" : null },
            { "GDPDJB", farmland ? slope.ToString(System.Globalization.CultureInfo.InvariantCulture) : null },
            { "PBF", parcel.IsPbf ? 1 : 0 },
            { "HSF", parcel.IsHighStandard ? 1 : 0 },
        });
    }

    /// <summary>
    /// Writes <paramref name="parcels"/> to <paramref name="path"/> (.gpkg, .shp with a GBK DBF, or .geojson) in
    /// the given order, reporting each parcel written to <paramref name="progress"/>.
    /// </summary>
    public static void Write(string path, IEnumerable<MosaicParcel> parcels, MosaicOrder order, int seed, Action? progress = null)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        IEnumerable<MosaicParcel> rows = parcels;
        if (order == MosaicOrder.Shuffled)
        {
            var all = parcels.ToArray();
            new Random(seed).Shuffle(all);
            rows = all;
        }

        FeatureFileWriter.Write(path, "DLTB", Features(rows, progress), Fields, MosaicGenerator.Crs, gbk: true);
    }

    /// <summary>Writes the consolidation zones (zone_id, name) to a GeoJSON or GeoPackage file.</summary>
    public static void WriteZones(string path, MosaicGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var features = generator.Zones.Select((z, i) => (IFeature)new Feature(z, new AttributesTable
        {
            { "zone_id", $"Z{i + 1:00}" },
            { "name", $"整治区{i + 1}" },
        }));
        FeatureFileWriter.Write(path, "zones", features, [new("zone_id", FieldKind.Text, 4), new("name", FieldKind.Text, 16)], MosaicGenerator.Crs, gbk: true);
    }

    private static IEnumerable<IFeature> Features(IEnumerable<MosaicParcel> parcels, Action? progress)
    {
        foreach (var p in parcels)
        {
            yield return ToFeature(p);
            progress?.Invoke();
        }
    }
}
