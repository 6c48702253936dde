using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Projects;

/// <summary>A consolidation zone (土地综合整治区, 整治区) inside a project area; CGCS2000 geographic coordinates.</summary>
public sealed class Zone
{
    public Zone(string zoneCode, string name, MultiPolygon geometry, double areaM2)
    {
        ZoneCode = zoneCode;
        Name = name;
        Geometry = geometry;
        AreaM2 = areaM2;
    }

    private Zone()
    {
        ZoneCode = Name = "";
        Geometry = null!;
    }

    public int Id { get; private set; }

    public int ProjectId { get; private set; }

    /// <summary>The zone's identifier within its project (<c>zone_id</c> in a project package).</summary>
    public string ZoneCode { get; private set; }

    public string Name { get; private set; }

    public MultiPolygon Geometry { get; private set; }

    /// <summary>Ellipsoidal area, m².</summary>
    public double AreaM2 { get; private set; }
}
