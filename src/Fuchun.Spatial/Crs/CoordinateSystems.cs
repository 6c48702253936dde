using System.Globalization;
using System.Text.RegularExpressions;

using Fuchun.Spatial.Resources;

namespace Fuchun.Spatial.Crs;

/// <summary>A coordinate reference system that cannot be identified: the platform never guesses one.</summary>
public sealed class UnknownCoordinateSystemException(string message) : Exception(message);

/// <summary>
/// The coordinate systems the platform knows by EPSG code: CGCS2000, WGS 84, Xi'an 1980 and Beijing 1954, each
/// geographic and as 3° Gauss–Krüger zones 25–45 (central meridians 75°E–135°E) with the zone number prefixed to
/// the easting (e.g. EPSG:4528, CGCS2000 zone 40) and without it (e.g. EPSG:4549, CGCS2000 CM 120°E).
/// </summary>
public static partial class CoordinateSystems
{
    private static readonly Dictionary<int, CoordinateSystem> ByEpsg = Build();

    public static IReadOnlyCollection<CoordinateSystem> All => ByEpsg.Values;

    public static CoordinateSystem Cgcs2000 => ByEpsg[4490];

    public static CoordinateSystem Get(int epsg) => ByEpsg.TryGetValue(epsg, out var crs)
        ? crs
        : throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsUnsupportedEpsg", epsg));

    public static bool TryGet(int epsg, out CoordinateSystem crs) => ByEpsg.TryGetValue(epsg, out crs!);

    private static Dictionary<int, CoordinateSystem> Build()
    {
        var all = new List<CoordinateSystem>
        {
            new(4490, "China Geodetic Coordinate System 2000", Datum.Cgcs2000),
            new(4326, "WGS 84", Datum.Wgs84),
            new(4610, "Xian 1980", Datum.Xian1980),
            new(4214, "Beijing 1954", Datum.Beijing1954),
        };
        foreach (var (datum, name, zoned, cmOnly) in new[]
        {
            (Datum.Cgcs2000, "CGCS2000", 4513, 4534),
            (Datum.Xian1980, "Xian 1980", 2349, 2370),
            (Datum.Beijing1954, "Beijing 1954", 2401, 2422),
        })
        {
            for (var zone = 25; zone <= 45; zone++)
            {
                var cm = zone * 3.0;
                all.Add(new(zoned + zone - 25, $"{name} / 3-degree Gauss-Kruger zone {zone}", datum, cm, (zone * 1_000_000) + 500_000, zone));
                all.Add(new(cmOnly + zone - 25, $"{name} / 3-degree Gauss-Kruger CM {cm:0}E", datum, cm, 500_000));
            }
        }

        return all.ToDictionary(c => c.Epsg);
    }

    /// <summary>
    /// Identifies the coordinate system of an OGC or ESRI WKT (a <c>.prj</c> file, a GeoPackage
    /// <c>gpkg_spatial_ref_sys</c> definition): by its EPSG authority when it names one, otherwise by its ellipsoid
    /// and, for a transverse Mercator / Gauss–Krüger projection, its central meridian and false easting.
    /// Throws <see cref="UnknownCoordinateSystemException"/> with what it found when nothing matches.
    /// </summary>
    public static CoordinateSystem FromWkt(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        var text = wkt.Trim();
        if (text.Length == 0)
        {
            throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsEmpty"));
        }

        // The authority of the whole definition is the last AUTHORITY/ID clause at the outermost level.
        var authority = LastAuthority(text);
        if (authority is { } code && ByEpsg.TryGetValue(code, out var known))
        {
            return known;
        }

        var spheroid = SpheroidPattern().Match(text);
        if (!spheroid.Success)
        {
            throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsNoEllipsoid", Shorten(text)));
        }

        var a = Number(spheroid.Groups["a"].Value);
        var inverseF = Number(spheroid.Groups["rf"].Value);
        var datum = DatumOf(a, inverseF)
            ?? throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsUnknownEllipsoid", a, inverseF));

        var isProjected = text.StartsWith("PROJCS", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PROJCRS", StringComparison.OrdinalIgnoreCase);
        if (!isProjected)
        {
            return All.First(c => c.IsGeographic && c.Datum == datum);
        }

        var projection = ProjectionPattern().Match(text).Groups["name"].Value;
        if (!projection.Contains("Transverse", StringComparison.OrdinalIgnoreCase) && !projection.Contains("Gauss", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsNotGaussKruger", projection));
        }

        var parameters = ParameterPattern().Matches(text).ToDictionary(
            m => m.Groups["name"].Value.Replace(" ", "_", StringComparison.Ordinal).ToUpperInvariant(),
            m => Number(m.Groups["value"].Value));
        double Param(string name, double fallback) => parameters.TryGetValue(name, out var v) ? v : fallback;
        var cm = Param("CENTRAL_MERIDIAN", Param("LONGITUDE_OF_NATURAL_ORIGIN", double.NaN));
        var fe = Param("FALSE_EASTING", 0);
        var k = Param("SCALE_FACTOR", Param("SCALE_FACTOR_AT_NATURAL_ORIGIN", 1));
        var lat0 = Param("LATITUDE_OF_ORIGIN", Param("LATITUDE_OF_NATURAL_ORIGIN", 0));
        var fn = Param("FALSE_NORTHING", 0);
        var match = All.FirstOrDefault(c => c.Datum == datum && c.CentralMeridian is { } m && Math.Abs(m - cm) < 1e-9 && Math.Abs(c.FalseEasting - fe) < 1e-6);
        if (match is null || Math.Abs(k - 1) > 1e-12 || lat0 != 0 || fn != 0)
        {
            throw new UnknownCoordinateSystemException(SpatialMessages.Get("CrsNotAZone", datum, cm, fe, k, lat0, fn));
        }

        return match;
    }

    private static Datum? DatumOf(double a, double inverseF) =>
        Math.Abs(a - 6378137) < 1e-6 && Math.Abs(inverseF - 298.257222101) < 1e-6 ? Datum.Cgcs2000
        : Math.Abs(a - 6378137) < 1e-6 && Math.Abs(inverseF - 298.257223563) < 1e-6 ? Datum.Wgs84
        : Math.Abs(a - 6378140) < 1e-6 && Math.Abs(inverseF - 298.257) < 1e-3 ? Datum.Xian1980
        : Math.Abs(a - 6378245) < 1e-6 && Math.Abs(inverseF - 298.3) < 1e-6 ? Datum.Beijing1954
        : null;

    private static int? LastAuthority(string text)
    {
        Match? last = null;
        foreach (Match m in AuthorityPattern().Matches(text))
        {
            last = m;
        }

        // Only an authority that closes the definition belongs to the whole CRS, not to a datum or unit inside it.
        return last is not null && text[(last.Index + last.Length)..].Trim().TrimEnd(']').Trim().Length == 0
            ? int.Parse(last.Groups["code"].Value, CultureInfo.InvariantCulture)
            : null;
    }

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";

    [GeneratedRegex(@"(?:SPHEROID|ELLIPSOID)\[\s*""[^""]*""\s*,\s*(?<a>[-+0-9.eE]+)\s*,\s*(?<rf>[-+0-9.eE]+)", RegexOptions.IgnoreCase)]
    private static partial Regex SpheroidPattern();

    [GeneratedRegex(@"(?:PROJECTION|METHOD)\[\s*""(?<name>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectionPattern();

    [GeneratedRegex(@"PARAMETER\[\s*""(?<name>[^""]*)""\s*,\s*(?<value>[-+0-9.eE]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"(?:AUTHORITY|ID)\[\s*""EPSG""\s*,\s*""?(?<code>\d+)""?\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorityPattern();
}
