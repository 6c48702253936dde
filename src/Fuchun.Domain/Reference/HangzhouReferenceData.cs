using System.Text.Json;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;

namespace Fuchun.Domain.Reference;

/// <summary>A township as listed in the reference table, without geometry.</summary>
public sealed record TownshipListing(string Code, string Name, string DistrictCode);

/// <summary>
/// Hangzhou's 13 current districts with their CGCS2000 boundaries (天地图) and the 191 townships with their names
/// and codes, shipped with the platform in <c>data/reference</c> (sources and licences in its README).
/// </summary>
public static class HangzhouReferenceData
{
    /// <summary>City code of Hangzhou (杭州市).</summary>
    public const string CityCode = "330100";

    private static readonly Lazy<IReadOnlyList<District>> LazyDistricts = new(LoadDistricts);
    private static readonly Lazy<IReadOnlyList<TownshipListing>> LazyTownships = new(LoadTownships);

    /// <summary>The 13 districts, in code order. Each call to <see cref="CreateDistricts"/> gives fresh instances.</summary>
    public static IReadOnlyList<District> Districts => LazyDistricts.Value;

    public static IReadOnlyList<TownshipListing> Townships => LazyTownships.Value;

    /// <summary>New district instances (for storing: an entity instance belongs to one context).</summary>
    public static IReadOnlyList<District> CreateDistricts() => LoadDistricts();

    private static List<District> LoadDistricts()
    {
        using var doc = JsonDocument.Parse(ReadResource("districts_330100.tianditu_cgcs2000.geojson"));
        var result = new List<District>();
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var props = feature.GetProperty("properties");
            var geometry = GeoJsonGeometryReader.ReadMultiPolygon(feature.GetProperty("geometry").GetRawText());
            var district = new District(
                props.GetProperty("district_adcode").GetString()!,
                props.GetProperty("name").GetString()!,
                geometry);
            district.SetArea(EllipsoidalArea.OfGeometry(geometry));
            result.Add(district);
        }

        return [.. result.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    private static List<TownshipListing> LoadTownships()
    {
        // Columns: id,pid,deep,name,pinyin_prefix,pinyin,ext_id,ext_name; deep 3 = township level.
        var result = new List<TownshipListing>();
        using var reader = new StringReader(ReadResource("townships_330100.csv"));
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var cols = line.Split(',');
            if (cols.Length >= 8 && cols[2] == "3")
            {
                result.Add(new TownshipListing(cols[0], cols[7], cols[1]));
            }
        }

        return [.. result.OrderBy(t => t.Code, StringComparer.Ordinal)];
    }

    internal static string ReadResource(string fileName)
    {
        var assembly = typeof(HangzhouReferenceData).Assembly;
        using var stream = assembly.GetManifestResourceStream("Fuchun.Reference." + fileName)
            ?? throw new InvalidOperationException($"embedded reference file {fileName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The district with this code, or null.</summary>
    public static District? FindDistrict(string code) => Districts.FirstOrDefault(d => d.Code == code);
}
