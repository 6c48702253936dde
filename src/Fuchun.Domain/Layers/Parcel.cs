using System.Text;
using Fuchun.Spatial;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Layers;

/// <summary>
/// A land parcel (地类图斑) of a parcel layer, with its 三调 attributes. Geometry in CGCS2000 geographic
/// coordinates; <see cref="AreaM2"/> is its ellipsoidal area.
/// </summary>
public sealed class Parcel
{
    public Parcel(string landClass, bool isPbf, bool isHighStandard, string? locationCode, MultiPolygon geometry, double areaM2, string? attributesJson = null)
    {
        LandClass = landClass;
        IsPbf = isPbf;
        IsHighStandard = isHighStandard;
        LocationCode = locationCode;
        Geometry = geometry;
        AreaM2 = areaM2;
        AttributesJson = attributesJson;
    }

    private Parcel()
    {
        LandClass = "";
        Geometry = null!;
    }

    /// <summary>A parcel held as its shell alone (<see cref="WithShellJsonUtf8"/>): the geometry is made when asked for.</summary>
    private Parcel(string landClass, bool isPbf, bool isHighStandard, string? locationCode, double[] shell, double areaM2)
    {
        LandClass = landClass;
        IsPbf = isPbf;
        IsHighStandard = isHighStandard;
        LocationCode = locationCode;
        this.shell = shell;
        AreaM2 = areaM2;
    }

    private string? attributesJson;

    /// <summary>The attributes' JSON as the import wrote it, UTF-8; the string is made from it only when asked for.</summary>
    private byte[]? attributesUtf8;

    /// <summary>
    /// A parcel whose other attributes are already JSON in UTF-8 (the import writes them so): a store that sends
    /// bytes takes them as they are (<see cref="AttributesJsonUtf8"/>) instead of a string made and encoded again.
    /// </summary>
    /// <remarks>
    /// Its <see cref="Bounds"/> are worked out here, on the import's worker threads where the coordinates were just
    /// transformed, rather than by the single thread that writes the layer.
    /// </remarks>
    internal static Parcel WithJsonUtf8(string landClass, bool isPbf, bool isHighStandard, string? locationCode, MultiPolygon geometry, double areaM2, byte[]? attributesUtf8) =>
        new(landClass, isPbf, isHighStandard, locationCode, geometry, areaM2) { attributesUtf8 = attributesUtf8, bounds = FlatCoordinates.Bounds(geometry) };

    /// <summary>
    /// A parcel that is one polygon without holes, given as its shell's interleaved longitude, latitude (closed,
    /// clockwise as a shapefile has it, in CGCS2000): held as that array (<see cref="Shell"/>) until someone asks for
    /// <see cref="Geometry"/>, which is then made of it. Its other attributes as in <see cref="WithJsonUtf8"/>.
    /// </summary>
    /// <remarks>
    /// Why: most parcels of an import are one ring, and the store writes them straight from the array. The
    /// NetTopologySuite objects around it (sequence, ring with its two end coordinates, polygon, its array,
    /// multipolygon) were some 370 of the 1 250 bytes a parcel of the 1M mosaic allocated.
    /// </remarks>
    internal static Parcel WithShellJsonUtf8(string landClass, bool isPbf, bool isHighStandard, string? locationCode, double[] shell, double areaM2, byte[]? attributesUtf8) =>
        new(landClass, isPbf, isHighStandard, locationCode, shell, areaM2) { attributesUtf8 = attributesUtf8, bounds = FlatCoordinates.Bounds(shell) };

    /// <summary>The geometry as given or made, or null while only the <see cref="shell"/> is held.</summary>
    private MultiPolygon? geometry;

    private double[]? shell;

    private (double MinX, double MaxX, double MinY, double MaxY)? bounds;

    /// <summary>
    /// The geometry's box (<see cref="FlatCoordinates.Bounds(MultiPolygon)"/>; inverted when empty), worked out once:
    /// a layer's extent, an R-tree entry and a GeoPackage blob header all take it.
    /// </summary>
    public (double MinX, double MaxX, double MinY, double MaxY) Bounds() => bounds ??= FlatCoordinates.Bounds(Geometry);

    public long Id { get; private set; }

    public int LayerId { get; private set; }

    /// <summary>DLBM, the 三调 land class code.</summary>
    public string LandClass { get; private set; }

    /// <summary>永久基本农田 (permanent basic farmland).</summary>
    public bool IsPbf { get; private set; }

    /// <summary>高标准农田 (high-standard farmland).</summary>
    public bool IsHighStandard { get; private set; }

    /// <summary>ZLDWDM, the location (village) code; its first 9 digits are the township.</summary>
    public string? LocationCode { get; private set; }

    public double AreaM2 { get; private set; }

    /// <summary>Other 三调 attributes as delivered (TBMJ, KCMJ, QSXZ, …) as a JSON object.</summary>
    public string? AttributesJson
    {
        get => attributesJson ??= attributesUtf8 is null ? null : Encoding.UTF8.GetString(attributesUtf8);
        private set => (attributesJson, attributesUtf8) = (value, null);
    }

    /// <summary><see cref="AttributesJson"/> as UTF-8 (empty when there is none).</summary>
    public ReadOnlySpan<byte> AttributesJsonUtf8() =>
        attributesUtf8 ?? (attributesJson is null ? default : Encoding.UTF8.GetBytes(attributesJson));

    /// <summary>
    /// The parcel's shell as interleaved longitude, latitude when the parcel is one polygon without holes held only
    /// as that array (as an import makes most parcels); null otherwise — then read <see cref="Geometry"/>. A writer
    /// that can take the ring as it is need not make the geometry.
    /// </summary>
    public double[]? Shell => shell;

    public MultiPolygon Geometry
    {
        get => geometry ??= FlatCoordinates.Polygon(Cgcs2000.PackedFactory, shell!);
        private set => (geometry, shell) = (value, null);
    }
}

/// <summary>A polygon of a reference layer (development boundary, red line, park, …).</summary>
public sealed class ReferenceFeature
{
    public ReferenceFeature(string? kind, string? name, MultiPolygon geometry, double areaM2, string? attributesJson = null)
    {
        Kind = kind;
        Name = name;
        Geometry = geometry;
        AreaM2 = areaM2;
        AttributesJson = attributesJson;
    }

    private ReferenceFeature()
    {
        Geometry = null!;
    }

    public long Id { get; private set; }

    public int LayerId { get; private set; }

    /// <summary>The feature's kind within its layer (for example 集中建设区, or <c>in</c>/<c>out</c>).</summary>
    public string? Kind { get; private set; }

    public string? Name { get; private set; }

    public double AreaM2 { get; private set; }

    public string? AttributesJson { get; private set; }

    public MultiPolygon Geometry { get; private set; }
}
