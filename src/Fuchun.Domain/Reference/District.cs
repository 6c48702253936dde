using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Reference;

/// <summary>
/// A district, county or county-level city of Hangzhou (区、县（市）), identified by its 6-digit administrative code.
/// The boundary is in CGCS2000 geographic coordinates.
/// </summary>
public sealed class District
{
    public District(string code, string name, MultiPolygon boundary)
    {
        Code = code;
        Name = name;
        Boundary = boundary;
    }

    private District()
    {
        Code = Name = "";
        Boundary = null!;
    }

    public int Id { get; private set; }

    /// <summary>6-digit administrative code, for example 330111 (富阳区).</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public MultiPolygon Boundary { get; private set; }

    /// <summary>Ellipsoidal area of the boundary, m².</summary>
    public double AreaM2 { get; private set; }

    public void SetArea(double areaM2) => AreaM2 = areaM2;
}
